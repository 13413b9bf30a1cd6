"""The retention app's answers to ``permissions.can`` (registered in ``ready()``).

A task, flag or exit reason is seen by whoever sees its customer. Acting on a task
(``log_interaction``: completing it, which logs the contact) is for the person it is assigned
to, and for managers and administrators who see the customer (their teams' work): a rep acts
on their own book, not on a teammate's tasks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.retention.models import ExitReason, Task, WorthFlag

ACTING = {Action.LOG_INTERACTION, Action.CHANGE}


def _visible_ids(user: Any) -> QuerySet:
    return permissions.visible_customers(user, include_archived=True).values("id")


def task_rule(user: Any, action: Action, task: Task) -> bool:
    if not permissions.can_see_customer(user, task.customer_id):
        return False
    if action in ACTING:
        role = permissions.role_of(user)
        return role in (Role.ADMIN, Role.MANAGER) or task.assigned_to_id == user.pk
    return True


def tasks_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    qs = qs.filter(customer__in=_visible_ids(user))
    if action in ACTING and permissions.role_of(user) not in (Role.ADMIN, Role.MANAGER):
        qs = qs.filter(Q(assigned_to_id=user.pk))
    return qs


def customer_record_rule(user: Any, action: Action, obj: Any) -> bool:
    return permissions.can_see_customer(user, obj.customer_id)


def customer_records_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    return qs.filter(customer__in=_visible_ids(user))


def register() -> None:
    permissions.register(Task, obj=task_rule, queryset=tasks_allowed)
    for model in (WorthFlag, ExitReason):
        permissions.register(model, obj=customer_record_rule, queryset=customer_records_allowed)
