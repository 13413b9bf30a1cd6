"""Partner users see neither the company's margins (cost, margin, profit, lifetime value) nor
other departments' internal interaction notes: not on the 360 page, the list or the API.
They see the notes their own partner logged. Staff see everything as before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.api.auth import issue_token
from kehu.customers import services
from kehu.customers.models import Customer
from kehu.sales.models import Order

pytestmark = pytest.mark.django_db

INTERNAL = "Internal: offer 30 percent below list"
OWN = "Dealer visit: customer wants a demo"


@pytest.fixture
def history(org):
    Order.objects.create(
        customer=org.customer,
        number="SO-9",
        ordered_on=dt.date(2025, 5, 1),
        channel="store",
        amount=Decimal("1000.00"),
        cost=Decimal("123.45"),
    )
    Customer.objects.filter(pk=org.customer.pk).update(profit=Decimal("98765.43"), clv=5432)
    services.interaction_log(
        customer=org.customer, by=org.alice, channel="phone", subject="Pricing", notes=INTERNAL
    )
    services.interaction_log(
        customer=org.customer, by=org.pat, channel="partner", subject="Visit", notes=OWN
    )


def _api(client, user, path):
    _token, raw = issue_token(user=user, name="t")
    return client.get("/api/v1" + path, headers={"Authorization": f"Bearer {raw}"}).json()


def test_partner_360_page_hides_margins_and_internal_notes(client, org, history):
    client.force_login(org.pat)
    body = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "876.55" not in body  # the order's margin
    assert "98,765" not in body and "98765" not in body
    assert INTERNAL not in body
    assert OWN in body


def test_partner_list_hides_profit(client, org, history):
    client.force_login(org.pat)
    body = client.get("/customers/").content.decode()
    assert "张伟" in body and "98765" not in body and "98,765" not in body


def test_partner_api_hides_profit_and_internal_notes(client, org, history):
    customer = _api(client, org.pat, f"/customers/{org.customer.pk}")
    assert customer["profit"] is None and customer["clv"] is None
    notes = [
        i["notes"]
        for i in _api(client, org.pat, f"/customers/{org.customer.pk}/interactions")["items"]
    ]
    assert INTERNAL not in notes and OWN in notes


def test_staff_see_all(client, org, history):
    client.force_login(org.bob)
    body = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "876.55" in body and INTERNAL in body and OWN in body
    customer = _api(client, org.bob, f"/customers/{org.customer.pk}")
    assert customer["profit"] == "98765.43"
