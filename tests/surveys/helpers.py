"""Building blocks for the survey tests: a resolved ticket and its CSAT link in one call."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kehu.service import services as service
from kehu.surveys import services
from kehu.surveys.models import Survey

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def resolved_ticket(org, *, customer=None, now="2025-03-03 09:00", **fields):
    fields.setdefault("subject", "打印机卡纸")
    ticket = service.ticket_create(
        customer=customer or org.customer, by=org.sam, assignee=org.sam, now=at(now), **fields
    )
    service.ticket_resolve(ticket=ticket, by=org.sam, resolution="已更换硒鼓", now=at(now))
    ticket.refresh_from_db()
    return ticket


def csat_link(org, ticket, *, now=None):
    """A fresh link for the ticket's CSAT invitation (the one made on resolve), valid from
    ``now`` (a Shanghai time; None: the real clock, for the pages)."""
    invitation = ticket_invitation(ticket)
    moment = at(now) if now else None
    return invitation, services.invitation_reissue(invitation=invitation, by=org.sam, now=moment)


def ticket_invitation(ticket):
    from kehu.surveys.models import Invitation

    return Invitation.objects.get(ticket=ticket, survey__kind=Survey.Kind.CSAT_TICKET)
