"""Ticket reads, always through the visibility rule (``permissions.restrict``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.service.models import Ticket, TicketMessage
from kehu.service.rules import notes_shown

QUEUE_STATUSES = ("new", "open", "waiting", "reopened")


@dataclass
class QueueFilters:
    team: int | None = None
    status: str = ""
    kind: str = ""
    category: str = ""
    mine: bool = False
    overdue: bool = False
    customer: int | None = None


def visible_tickets(user: Any) -> QuerySet:
    return permissions.restrict(Ticket.objects.all(), user, Action.VIEW)


def queue(*, user: Any, filters: QueueFilters, now: dt.datetime | None = None) -> QuerySet:
    """Open tickets, key customers first, then by resolution deadline (earliest first; no
    deadline last). Served by the partial index ``ticket_queue``."""
    qs = visible_tickets(user)
    if filters.status and filters.status in QUEUE_STATUSES:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=QUEUE_STATUSES)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.mine:
        qs = qs.filter(assigned_to_id=user.pk)
    if filters.customer is not None:
        qs = qs.filter(customer_id=filters.customer)
    if filters.overdue:
        qs = qs.filter(due_at__lt=now or timezone.now())
    return qs.select_related("customer", "assigned_to", "team").order_by("-vip", "due_at", "id")


def ticket_for(*, user: Any, pk: int) -> Ticket | None:
    ticket = (
        visible_tickets(user)
        .select_related("customer", "assigned_to", "team")
        .filter(pk=pk)
        .first()
    )
    return permissions.loaded_for(ticket, user) if ticket is not None else None


def thread(*, ticket: Ticket, user: Any) -> list[TicketMessage]:
    qs = ticket.messages.select_related("author").prefetch_related("attachments")
    if not notes_shown(user):
        qs = qs.exclude(kind=TicketMessage.Kind.NOTE)
    return list(qs)


def open_tickets_of(*, customer_id: int, user: Any, limit: int = 10) -> list[Ticket]:
    return list(
        visible_tickets(user)
        .filter(customer_id=customer_id)
        .exclude(status__in=Ticket.DONE)
        .order_by("due_at", "id")[:limit]
    )


def overdue_complaints(
    customer_ids: Iterable[int], *, now: dt.datetime | None = None
) -> dict[int, int]:
    """The churn-risk signal (E7 → C, D): for each customer id, how many of their complaints
    are unresolved past their resolution deadline (customers without any are left out).

    Read by the churn model's feature extraction and the retention triggers; a system read
    (no user), so callers apply their own visibility. One grouped query."""
    now = now or timezone.now()
    rows = (
        Ticket.objects.filter(
            customer_id__in=list(customer_ids),
            kind=Ticket.Kind.COMPLAINT,
            due_at__lt=now,
        )
        .exclude(status__in=Ticket.DONE)
        .values("customer_id")
        .annotate(n=Count("id"))
    )
    return {r["customer_id"]: r["n"] for r in rows}


CATEGORIES_TTL = 300


def categories(user: Any) -> list[str]:
    """The categories of the open tickets ``user`` sees, for the queue's filter. Cached for
    a few minutes (shared by everyone who sees every customer): the DISTINCT reads every open
    ticket, which on a million-ticket desk was the queue page's slowest query."""
    condition = permissions.visibility_filter(user)
    who = "all" if condition is not None and not condition else str(getattr(user, "pk", ""))
    found = cache.get_or_set(
        f"service:categories:{who}",
        lambda: list(
            visible_tickets(user)
            .filter(status__in=QUEUE_STATUSES)
            .exclude(category="")
            .order_by("category")
            .values_list("category", flat=True)
            .distinct()[:200]
        ),
        CATEGORIES_TTL,
    )
    return list(found or [])
