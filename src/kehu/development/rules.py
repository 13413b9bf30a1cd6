"""Who sees which leads and cards (registered with ``kehu.core.permissions`` from
``DevelopmentConfig.ready``).

- administrators and analysts (read-only, masked by their role) see every lead;
- managers the leads of the teams they manage and of their own team;
- sales reps their own leads and their team's (as with customers);
- partner users the leads of their own partner;
- service agents only the leads they took down (development is not their work), unless
  KEHU_ALL_STAFF_SEE_ALL.
A card is visible with its holder: the lead's rule, or the customer's visibility.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.permissions import Action


def team_ids(user: Any) -> list[int]:
    """The teams whose work ``user`` sees: their own, and those they manage."""
    profile = getattr(user, "profile", None)
    ids: set[int] = set()
    if profile is not None and profile.team_id:
        ids.add(profile.team_id)
    if permissions.role_of(user) == Role.MANAGER:
        ids.update(user.managed_teams.values_list("id", flat=True))
    return sorted(ids)


def lead_filter(user: Any) -> Q | None:
    """A Q over Lead (and Card, which has the same owner/team columns) for what ``user``
    may see; None: nothing."""
    role = permissions.role_of(user)
    if role is None:
        return None
    if role in {Role.ADMIN, Role.ANALYST}:
        return Q()
    if role == Role.PARTNER:
        partner = permissions.partner_of(user)
        return None if partner is None else Q(partner_id=partner)
    if getattr(settings, "KEHU_ALL_STAFF_SEE_ALL", False):
        return Q()
    if role == Role.SERVICE:
        return Q(owner_id=user.pk)  # the leads they took down themselves
    condition = Q(owner_id=user.pk)
    teams = team_ids(user)
    if teams:
        condition |= Q(team_id__in=teams)
    return condition


def visible_leads(user: Any) -> QuerySet:
    from kehu.development.models import Lead

    condition = lead_filter(user)
    if condition is None:
        return Lead.objects.none()
    return Lead.objects.filter(condition)


def lead_rule(user: Any, action: Action, lead: Any) -> bool:
    if permissions.is_loaded_for(lead, user):
        return True
    return visible_leads(user).filter(pk=lead.pk).exists()


def leads_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    condition = lead_filter(user)
    return qs.none() if condition is None else qs.filter(condition)


def card_rule(user: Any, action: Action, card: Any) -> bool:
    if card.customer_id:
        return permissions.can_see_customer(user, card.customer_id)
    return visible_leads(user).filter(pk=card.lead_id).exists()


def cards_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    visible = permissions.visible_customers(user, include_archived=True).values("id")
    return qs.filter(
        Q(customer_id__in=visible) | Q(customer__isnull=True, lead__in=visible_leads(user))
    )


def register() -> None:
    from kehu.development.models import Card, Lead

    permissions.register(Lead, obj=lead_rule, queryset=leads_allowed)
    permissions.register(Card, obj=card_rule, queryset=cards_allowed)
