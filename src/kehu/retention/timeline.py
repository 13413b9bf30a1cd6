"""Retention tasks on the customer's timeline (registered in ``RetentionConfig.ready()``)."""

from __future__ import annotations

from kehu.customers.timeline import TimelineEntry, TimelineQuery, person_name
from kehu.retention.models import Task


def tasks(query: TimelineQuery) -> list[TimelineEntry]:
    # A task is work to do, not a contact: it has no channel and no department of its own.
    if query.channel or query.department:
        return []
    rows = (
        Task.objects.filter(customer=query.customer)
        .select_related("assigned_to")
        .order_by("-created_at", "-id")[query.offset : query.offset + query.limit]
    )
    return [
        TimelineEntry(
            task.created_at,
            "task",
            task.title,
            detail=f"{task.get_kind_display()} · {task.get_status_display()}",
            who=person_name(task.assigned_to),
        )
        for task in rows
    ]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kehu.customers import timeline

    timeline.register("task", _("Task"), tasks)
