"""Who sees which onboarding (registered with ``kehu.core.permissions`` from the app's
``ready``): an onboarding is seen with its dealer, through ``visible_customers``, by the roles
that may view onboardings at all (``Action.VIEW_ONBOARDING``: not partners, not service)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core import permissions
from kehu.core.permissions import Action


def visible_onboardings(user: Any) -> QuerySet:
    from kehu.dealers.models import Onboarding

    if not permissions.role_may(user, Action.VIEW_ONBOARDING):
        return Onboarding.objects.none()
    customers = permissions.visible_customers(user, include_archived=True).values("pk")
    return Onboarding.objects.filter(customer_id__in=customers)


def onboarding_rule(user: Any, action: Action, onboarding: Any) -> bool:
    if not visible_onboardings(user).filter(pk=onboarding.pk).exists():
        return False
    if action == Action.START_ONBOARDING and permissions.role_of(user) == "sales":
        # A rep follows the team's onboardings but acts only for their own customers.
        return onboarding.customer.owner_id == user.pk
    return True


def may_start(user: Any, customer: Any) -> bool:
    """Whether ``user`` may start onboarding ``customer``: the action on the customer, and a
    rep only for a customer they own."""
    if not permissions.can(user, Action.START_ONBOARDING, customer):
        return False
    return permissions.role_of(user) != "sales" or customer.owner_id == user.pk


def onboardings_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    return qs.filter(pk__in=visible_onboardings(user).values("pk"))


def register() -> None:
    from kehu.dealers.models import Onboarding

    permissions.register(Onboarding, obj=onboarding_rule, queryset=onboardings_allowed)
