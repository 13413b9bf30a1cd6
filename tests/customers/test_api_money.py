"""The API writes money as decimal strings with two places (as orders and payments do) and
the churn probability rounded, never binary-float noise (issue #12)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.customers.models import Customer
from tests.api.conftest import api  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_money_is_two_place_strings(api, org):  # noqa: F811
    Customer.objects.filter(pk=org.customer.pk).update(
        profit=Decimal("1234.5"),
        clv=Decimal("0.3"),
        value_at_risk=Decimal("10"),
        churn_probability=0.1 + 0.2,
    )
    body = api("alice").get(f"/customers/{org.customer.pk}").json()
    assert (body["profit"], body["clv"], body["value_at_risk"]) == ("1234.50", "0.30", "10.00")
    assert body["churn_probability"] == 0.3
    listed = api("alice").get("/customers").json()["items"]
    row = next(c for c in listed if c["id"] == org.customer.pk)
    assert row["profit"] == "1234.50"
    # A partner's role doesn't see cost figures at all.
    assert api("pat").get(f"/customers/{org.customer.pk}").json()["profit"] is None
