"""Service tickets on the customer's timeline (registered in ``ServiceConfig.ready()``)."""

from __future__ import annotations

from kehu.customers.models import Department
from kehu.customers.timeline import TimelineEntry, TimelineQuery, person_name
from kehu.service.models import Ticket


def tickets(query: TimelineQuery) -> list[TimelineEntry]:
    if query.excludes_department(Department.SERVICE):
        return []
    qs = Ticket.objects.filter(customer=query.customer)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    rows = qs.select_related("assigned_to").order_by("-opened_at", "-id")[
        query.offset : query.offset + query.limit
    ]
    return [
        TimelineEntry(
            t.opened_at,
            "ticket",
            t.subject,
            detail=f"{t.get_kind_display()} · {t.get_status_display()}",
            who=person_name(t.assigned_to),
            channel=t.get_channel_display(),
            department=str(Department.SERVICE.label),
        )
        for t in rows
    ]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kehu.customers import timeline

    timeline.register("ticket", _("Service ticket"), tickets)
