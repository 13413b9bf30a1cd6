"""Portal reads: only the signed-in customer's own tickets, and only the public part of their
thread. Everything starts at ``visible_customers`` (a portal user sees exactly their
customer), never at a ticket id alone."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core.permissions import visible_customers
from kehu.service.models import Ticket, TicketMessage

# What a customer reads of the thread: replies to them and their own messages. Internal
# notes are left out by kind here, not by a template condition.
PUBLIC_KINDS = (TicketMessage.Kind.REPLY, TicketMessage.Kind.INCOMING)


def my_tickets(user: Any) -> QuerySet:
    return (
        Ticket.objects.filter(
            customer__in=visible_customers(user, include_archived=True).values("id")
        )
        .select_related("customer")
        .order_by("-opened_at", "-id")
    )


def my_ticket(user: Any, pk: int) -> Ticket | None:
    """The ticket when it is the user's customer's; None both for a missing ticket and for
    another customer's (the page answers 404 for both)."""
    return my_tickets(user).filter(pk=pk).first()


def public_thread(ticket: Ticket) -> list[TicketMessage]:
    return list(
        ticket.messages.filter(kind__in=PUBLIC_KINDS)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
