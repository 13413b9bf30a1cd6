"""The demo's customer-portal login (issue #13): the ``customer`` login opens /portal/ as one
demo customer with a service history, so the portal can be tried like every other role.

Real portal users sign in only by an e-mailed one-time link (their password is unusable,
see ``kehu.portal.services.invite``); the demo user gets the published demo password instead,
because a demo on a laptop has no mailbox. The staff sign-in page sends it on to the portal
(``kehu.portal.middleware``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from kehu.core import audit
from kehu.customers.models import Customer
from kehu.portal.models import PortalAccess

USERNAME = "customer"


def _customer_with_history() -> Customer | None:
    """A person with an e-mail address and the most tickets, some still open: what a
    customer would come to the portal for."""
    return (
        Customer.objects.filter(
            kind=Customer.Kind.PERSON,
            is_archived=False,
            merged_into__isnull=True,
            external_id__startswith="demo-",
        )
        .exclude(email="")
        .annotate(
            n=Count("tickets"),
            open_n=Count("tickets", filter=~Q(tickets__status__in=("resolved", "closed"))),
        )
        .filter(open_n__gt=0)
        .order_by("-n", "id")
        .first()
    )


def build_portal(options: Any, org: Any) -> PortalAccess | None:
    """Link the ``customer`` login to a demo customer (once); None when either is missing."""
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None or PortalAccess.objects.filter(user=user).exists():
        return None
    customer = _customer_with_history()
    if customer is None:
        return None
    with audit.acting_as(None, "demo"):
        access = PortalAccess.objects.create(
            user=user, customer=customer, email=customer.email, name=customer.name
        )
    user.first_name, user.email = customer.name[:150], customer.email
    user.save(update_fields=["first_name", "email"])
    return access
