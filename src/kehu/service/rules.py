"""The service app's answers to ``kehu.core.permissions.can`` (registered from
``ServiceConfig.ready``).

A ticket is the customer's: whoever sees the customer (``visible_customers``: service agents
every customer, reps their own and their team's, managers their teams', analysts every one
read-only, partner users the shared ones) sees its tickets; the role decides what they may do
(``view``; ``log_interaction`` opens one; ``change`` replies, notes, assigns and changes the
status). Internal notes (``see_internal_notes``) are never shown to partner users.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.service.models import Ticket


def ticket_rule(user: Any, action: Action, ticket: Ticket) -> bool:
    if action == Action.SEE_INTERNAL_NOTES and permissions.partner_of(user) is not None:
        return False
    if permissions.is_loaded_for(ticket, user):
        return True
    return permissions.can_see_customer(user, ticket.customer_id)


def tickets_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    if action == Action.SEE_INTERNAL_NOTES and permissions.partner_of(user) is not None:
        return qs.none()
    condition = permissions.visibility_filter(user)
    if condition is None:
        return qs.none()
    if not condition:
        # Sees every customer (service agents, analysts, administrators): no join, so the
        # million-ticket queue stays on its index.
        return qs
    visible = permissions.visible_customers(user, include_archived=True)
    return qs.filter(customer__in=visible.values("id"))


def notes_shown(user: Any) -> bool:
    return permissions.role_may(user, Action.SEE_INTERNAL_NOTES) and (
        permissions.partner_of(user) is None
    )


def register() -> None:
    permissions.register(Ticket, obj=ticket_rule, queryset=tickets_allowed)
