"""Tickets on the Today page (kehu.core.duelist): the user's open tickets due by the end of
the day (``mine``), or the overdue tickets of the teams they manage (``team``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.core import duelist, permissions
from kehu.service.models import Ticket
from kehu.service.selectors import QUEUE_STATUSES, visible_tickets

LABEL = _("Service ticket")


def source(*, user: Any, today: dt.date, scope: duelist.Scope, limit: int) -> Iterable[Any]:
    if permissions.role_of(user) is None:
        return []
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    qs = visible_tickets(user).filter(status__in=QUEUE_STATUSES, due_at__lt=end)
    if scope == "team":
        teams = list(user.managed_teams.values_list("id", flat=True))
        if not teams:
            return []
        qs = qs.filter(team_id__in=teams, due_at__lt=timezone.now())
    else:
        qs = qs.filter(assigned_to=user)
    rows = qs.order_by("-vip", "due_at", "id").values_list(
        "id", "subject", "due_at", "vip", "kind", "customer_id", "customer__name",
        "assigned_to__username",
    )[:limit]  # fmt: skip
    kinds = dict(Ticket.Kind.choices)
    return [
        duelist.DueItem(
            source="service",
            kind_label=str(kinds.get(kind, LABEL)),
            title=f"#T{pk} {subject}",
            due=timezone.localtime(due).date(),
            url=reverse("service:detail", args=[pk]),
            priority=1.0 if vip else 0.0,
            customer_id=customer_id,
            customer_name=customer_name,
            assignee_name=assignee or "",
        )
        for pk, subject, due, vip, kind, customer_id, customer_name, assignee in rows
    ]


def register() -> None:
    duelist.register("service", LABEL, source)
