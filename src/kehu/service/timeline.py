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


def ticket_messages(query: TimelineQuery) -> list[TimelineEntry]:
    """Each message of a ticket's thread: replies and the customer's messages; internal notes
    only for those who may read them (never partner users); text masked for masked roles."""
    if query.excludes_department(Department.SERVICE) or query.channel:
        return []
    from kehu.core import permissions
    from kehu.core.masking import Mask, mask_value
    from kehu.core.permissions import Action
    from kehu.service.models import TicketMessage
    from kehu.service.rules import notes_shown

    qs = TicketMessage.objects.filter(ticket__customer=query.customer)
    if not notes_shown(query.user):
        qs = qs.exclude(kind=TicketMessage.Kind.NOTE)
    masked = not permissions.can(query.user, Action.SEE_PERSONAL_DATA)
    rows = qs.select_related("author", "ticket").order_by("-created_at", "-id")[
        query.offset : query.offset + query.limit
    ]
    return [
        TimelineEntry(
            m.created_at,
            "ticket_message",
            f"{m.ticket.reference} {m.ticket.subject}",
            detail=mask_value(Mask.WHOLE, m.body) if masked else m.body[:500],
            who=person_name(m.author) or ("" if masked else m.sender),
            channel=m.get_kind_display(),
            department=str(Department.SERVICE.label),
        )
        for m in rows
    ]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kehu.customers import timeline

    timeline.register("ticket", _("Service ticket"), tickets)
    timeline.register("ticket_message", _("Ticket message"), ticket_messages)
