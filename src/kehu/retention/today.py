"""Retention tasks as a source of the due list (kehu.core.duelist), registered in ready().

``mine``: the user's open tasks due today or earlier. ``team``: the overdue open tasks of the
customers in the teams the user manages (a manager's view of work slipping). One query each,
on the (assigned_to, status, due_on) index, at most ``limit`` rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

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


def open_tasks(*, user: Any, today: dt.date, scope: duelist.Scope) -> Any:
    qs = Task.objects.filter(status=Task.Status.OPEN).select_related("customer", "assigned_to")
    if scope == "team":
        qs = qs.filter(due_on__lt=today)
        teams = _team_ids(user)
        if teams:
            qs = qs.filter(customer__team_id__in=teams)
        # Still only what the user may see (an administrator sees all).
        return qs.filter(customer__in=permissions.visible_customers(user).values("id"))
    return qs.filter(assigned_to=user, due_on__lte=today).filter(
        customer__in=permissions.visible_customers(user).values("id")
    )


def source(*, user: Any, today: dt.date, scope: duelist.Scope, limit: int) -> Iterable[Any]:
    if permissions.role_of(user) is None:
        return []
    qs = open_tasks(user=user, today=today, scope=scope).order_by("-priority", "due_on", "id")
    items = []
    for task in qs[:limit]:
        customer = task.customer
        items.append(
            duelist.DueItem(
                source="retention",
                kind_label=str(Task.StepKind(task.step_kind).label)
                if task.step_kind
                else _("Task"),
                title=task.title,
                due=task.due_on or today,
                url=reverse("customers:detail", args=[customer.pk]),
                priority=task.priority,
                customer_id=customer.pk,
                customer_name=customer.name,
                assignee_name=task.assigned_to.get_username() if task.assigned_to else "",
                done_url=reverse("retention:complete", args=[task.pk]),
                detail=task.get_trigger_display() if task.trigger else "",
            )
        )
    return items


def register() -> None:
    duelist.register("retention", LABEL, source)
