"""Lessons shared (E4): complaints by category over the months, their root causes and the
corrective actions taken, with the tickets behind each figure.

Read by the report roles and by service agents: lessons are for everyone who answers
customers, so an agent sees every complaint they may see (``visible_tickets``), not only
their own (unlike the measures). A complaint counts in the month it was opened. A few
grouped queries, bounded by the period and by ``MAX_CAUSES`` rows of causes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncMonth

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.service.measures import Period, month_of
from kehu.service.models import Ticket
from kehu.service.selectors import visible_tickets

MAX_CAUSES = 200
DRILL_LIMIT = 100


def may_read(user: Any) -> bool:
    return permissions.role_may(user, Action.SEE_REPORTS) or (
        permissions.role_of(user) == Role.SERVICE
    )


def complaints(user: Any, period: Period) -> QuerySet:
    if not may_read(user):
        return Ticket.objects.none()
    start, end = period.bounds()
    return visible_tickets(user).filter(
        kind=Ticket.Kind.COMPLAINT, opened_at__gte=start, opened_at__lt=end
    )


@dataclass
class Cause:
    root_cause: str
    count: int
    resolved: int
    corrective_action: str  # the latest one written for this cause


@dataclass
class CategoryLessons:
    category: str
    total: int
    by_month: list[int]
    causes: list[Cause] = field(default_factory=list)


@dataclass
class Lessons:
    period: Period
    categories: list[CategoryLessons]
    month_totals: list[int]
    total: int
    without_cause: int


def lessons(*, user: Any, period: Period) -> Lessons:
    qs = complaints(user, period).order_by()
    months = period.month_starts
    index = {m: i for i, m in enumerate(months)}
    grid: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for r in qs.annotate(m=TruncMonth("opened_at")).values("category", "m").annotate(n=Count("id")):
        i = index.get(month_of(r["m"]))
        if i is not None:
            grid[r["category"]][i] += r["n"]

    causes = list(
        qs.values("category", "root_cause")
        .annotate(
            n=Count("id"),
            n_resolved=Count("id", filter=Q(status__in=Ticket.DONE)),
            latest=Max("id", filter=~Q(corrective_action="")),
        )
        .order_by("category", "-n", "root_cause")[:MAX_CAUSES]
    )
    actions = dict(
        Ticket.objects.filter(pk__in=[c["latest"] for c in causes if c["latest"]]).values_list(
            "pk", "corrective_action"
        )
    )
    out: dict[str, CategoryLessons] = {}
    for cat, counts in grid.items():
        out[cat] = CategoryLessons(category=cat, total=sum(counts), by_month=counts)
    without = 0
    for c in causes:
        if not c["root_cause"]:
            without += c["n"]
        lesson = out.get(c["category"])
        if lesson is None:
            continue
        lesson.causes.append(
            Cause(
                root_cause=c["root_cause"],
                count=c["n"],
                resolved=c["n_resolved"],
                corrective_action=actions.get(c["latest"], ""),
            )
        )
    categories = sorted(out.values(), key=lambda c: (-c.total, c.category))
    totals = [sum(c.by_month[i] for c in categories) for i in range(len(months))]
    return Lessons(
        period=period,
        categories=categories,
        month_totals=totals,
        total=sum(totals),
        without_cause=without,
    )


def drill(
    *,
    user: Any,
    period: Period,
    category: str | None = None,
    root_cause: str | None = None,
    month: dt.date | None = None,
) -> QuerySet:
    """The complaints behind a figure (``None``: any; ``""``: blank), newest first."""
    if month is not None:
        period = Period(month, 1)
    qs = complaints(user, period)
    if category is not None:
        qs = qs.filter(category=category)
    if root_cause is not None:
        qs = qs.filter(root_cause=root_cause)
    return qs.select_related("customer", "assigned_to").order_by("-opened_at", "-id")
