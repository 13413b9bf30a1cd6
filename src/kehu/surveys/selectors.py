"""Survey reads, always through the visibility rule: responses of the customers the user may
see (partner users none: a company's satisfaction data is not the dealer's)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.surveys.models import Invitation, Response, Survey


def csat_for_ticket(ticket: Any) -> Response | None:
    """The customer's CSAT rating of ``ticket``, if they gave one (the caller has already
    checked that its user may see the ticket)."""
    return (
        Response.objects.filter(kind=Survey.Kind.CSAT_TICKET, ticket_id=ticket.pk)
        .order_by("-answered_at")
        .first()
    )


def csat_invitation_for_ticket(ticket: Any) -> Invitation | None:
    return (
        Invitation.objects.filter(ticket_id=ticket.pk, survey__kind=Survey.Kind.CSAT_TICKET)
        .order_by("-id")
        .first()
    )


def visible_responses(user: Any) -> QuerySet:
    return permissions.restrict(Response.objects.all(), user, Action.VIEW)


def visible_invitations(user: Any) -> QuerySet:
    return permissions.restrict(Invitation.objects.all(), user, Action.VIEW)
