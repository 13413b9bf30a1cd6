"""Retention tasks as a source of the due list (kehu.core.duelist), registered in ready().

``mine``: the user's open tasks due today or earlier. ``team``: the overdue open tasks of the
customers in the teams the user manages (a manager's view of work slipping). One query each,
on the (assigned_to, status, due_on) index, at most ``limit`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehu.core import duelist, permissions
from kehu.core.models import Role
from kehu.retention.models import Task

LABEL = gettext_lazy("Retention")


def _team_ids(user: Any) -> list[int]:
    role = permissions.role_of(user)
    if role == Role.ADMIN:
        return []
    if role != Role.MANAGER:
        return [-1]
    return list(user.managed_teams.values_list("id", flat=True)) or [-1]


def _through_customer(q: Q) -> Q:
    """A Q over Customer turned into the same condition on a task's customer, so the
    visibility rule is a join on the task's own customer rather than a subquery over
    every customer the user may see (a team's book can be 100,000 customers)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [
        _through_customer(child) if isinstance(child, Q) else (f"customer__{child[0]}", child[1])  # type: ignore[index]
        for child in q.children
    ]
    return out


def open_tasks(*, user: Any, today: dt.date, scope: duelist.Scope) -> Any:
    visible = permissions.visibility_filter(user)
    if visible is None:
        return Task.objects.none()
    qs = Task.objects.filter(status=Task.Status.OPEN, customer__is_archived=False)
    qs = qs.filter(_through_customer(visible))
    if scope == "team":
        teams = _team_ids(user)
        qs = qs.filter(due_on__lt=today)
        return qs.filter(customer__team_id__in=teams) if teams else qs
    return qs.filter(assigned_to=user, due_on__lte=today)


def source(*, user: Any, today: dt.date, scope: duelist.Scope, limit: int) -> Iterable[Any]:
    if permissions.role_of(user) is None:
        return []
    qs = open_tasks(user=user, today=today, scope=scope).order_by("-priority", "due_on", "id")
    # Plain rows, not model instances: the page lists up to ``limit`` of them on every load,
    # and building audited instances (customer and task) was most of its time.
    rows = qs.values_list(
        "id", "title", "due_on", "priority", "step_kind", "trigger",
        "customer_id", "customer__name", "assigned_to__username",
    )[:limit]  # fmt: skip
    kinds = {value: str(label) for value, label in Task.StepKind.choices}
    triggers = {value: str(label) for value, label in Task.Trigger.choices}
    fallback = _("Task")
    return [
        duelist.DueItem(
            source="retention",
            kind_label=kinds.get(step_kind, fallback),
            title=title,
            due=due_on or today,
            url=reverse("customers:detail", args=[customer_id]),
            priority=priority,
            customer_id=customer_id,
            customer_name=customer_name,
            assignee_name=assignee or "",
            done_url=reverse("retention:complete", args=[task_id]),
            detail=triggers.get(trigger, ""),
        )
        for task_id, title, due_on, priority, step_kind, trigger, customer_id, customer_name, assignee in rows
    ]


def register() -> None:
    duelist.register("retention", LABEL, source)
