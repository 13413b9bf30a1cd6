"""The customers app's answers to ``kehu.core.permissions.can`` (registered from
``CustomersConfig.ready``, so core never imports this app).

- A customer: the action is allowed on it when the user sees it (``visible_customers``,
  archived included: an archived record is still theirs to restore or read).
- A relation: when the user sees the customers at both ends; a rep must not learn of, or
  delete, a link into a book they do not see.
- An interaction: when the user sees its customer; a partner user reads the notes
  (``see_internal_notes``) of their own partner's interactions only, never the company's
  internal notes of other departments.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers.models import Customer, Interaction, Relation


def _visible_ids(user: Any) -> QuerySet:
    return permissions.visible_customers(user, include_archived=True).values("id")


def customer_rule(user: Any, action: Action, customer: Customer) -> bool:
    if permissions.is_loaded_for(customer, user):
        return True
    return permissions.can_see_customer(user, customer.pk)


def customers_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    return qs.filter(pk__in=_visible_ids(user))


def relation_rule(user: Any, action: Action, relation: Relation) -> bool:
    visible = permissions.visible_customers(user, include_archived=True)
    ends = {relation.from_customer_id, relation.to_customer_id}
    return visible.filter(pk__in=ends).count() == len(ends)


def relations_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    visible = _visible_ids(user)
    return qs.filter(from_customer__in=visible, to_customer__in=visible)


def _notes_open_to(user: Any, interaction: Interaction) -> bool:
    partner = permissions.partner_of(user)
    return partner is None or interaction.partner_id == partner


def interaction_rule(user: Any, action: Action, interaction: Interaction) -> bool:
    if action == Action.SEE_INTERNAL_NOTES and not _notes_open_to(user, interaction):
        return False
    return permissions.can_see_customer(user, interaction.customer_id)


def interactions_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    qs = qs.filter(customer__in=_visible_ids(user))
    if action == Action.SEE_INTERNAL_NOTES:
        partner = permissions.partner_of(user)
        if partner is not None:
            qs = qs.filter(partner_id=partner)
    return qs


def notes_shown(user: Any, interaction: Interaction) -> bool:
    """May ``user`` read this interaction's notes? Callers already know the customer is
    visible (they listed it through the visibility rule), so this asks no query."""
    return permissions.role_may(user, Action.SEE_INTERNAL_NOTES) and _notes_open_to(
        user, interaction
    )


def register() -> None:
    permissions.register(Customer, obj=customer_rule, queryset=customers_allowed)
    permissions.register(Relation, obj=relation_rule, queryset=relations_allowed)
    permissions.register(Interaction, obj=interaction_rule, queryset=interactions_allowed)
    # A user as the target of a reassignment: whom may ``user`` give customers to?
    from django.contrib.auth import get_user_model

    from kehu.customers import ownership

    permissions.register(
        get_user_model(), obj=ownership.assignee_rule, queryset=ownership.assignees_allowed
    )
