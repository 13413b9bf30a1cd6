"""The dealer button on the customer page: a company customer's onboarding, or the way to
start one (F8). A prospective dealer comes in as a lead, is converted, and is onboarded from
its page rather than by typing its id on the onboarding list."""

from __future__ import annotations

from typing import Any

from django import template

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.dealers import rules

register = template.Library()


@register.inclusion_tag("dealers/_customer_action.html", takes_context=True)
def dealer_action(context: dict[str, Any], customer: Customer) -> dict[str, Any]:
    user = context["request"].user
    shown: dict[str, Any] = {"customer": customer, "onboarding": None, "can_start": False}
    if customer.kind != Customer.Kind.COMPANY or customer.is_archived:
        return shown
    if not permissions.role_may(user, Action.VIEW_ONBOARDING):
        return shown
    from kehu.dealers.models import Onboarding

    # The page already checked that ``user`` sees the customer, so its onboarding is visible.
    shown["onboarding"] = (
        Onboarding.objects.filter(customer=customer)
        .exclude(state=Onboarding.State.REJECTED)
        .only("pk", "state")
        .first()
    )
    shown["can_start"] = shown["onboarding"] is None and rules.may_start(user, customer)
    return shown
