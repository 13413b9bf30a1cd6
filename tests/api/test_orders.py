"""Orders with lines: listed and read by whoever sees the customer, created by editors with
amounts and costs computed from the lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.sales.models import Order
from tests.api.conftest import EDITORS, HIDDEN, NOT_EDITORS, SEES

pytestmark = pytest.mark.django_db


def new_order(sales, **extra):
    return {
        "number": "SO-2",
        "channel": "store",
        "ordered_on": "2024-06-01",
        "lines": [
            {"sku": "W-1", "quantity": 3},
            {"product_id": sales.gadget.pk, "quantity": "1.5", "unit_price": "90"},
        ],
        **extra,
    }


@pytest.mark.parametrize("who", SEES)
def test_orders_of_a_visible_customer_are_listed(api, org, sales, who):
    response = api(who).get(f"/customers/{org.customer.pk}/orders")
    assert response.status_code == 200
    (order,) = response.json()["items"]
    assert order["number"] == "SO-1" and order["amount"] == "139.80"
    assert [line["product"]["sku"] for line in order["lines"]] == ["W-1", "G-1"]


@pytest.mark.parametrize("who", HIDDEN)
def test_hidden_customer_orders_are_404(api, org, sales, who):
    assert api(who).get(f"/customers/{org.customer.pk}/orders").status_code == 404
    assert api(who).get(f"/orders/{sales.order.pk}").status_code == 404


@pytest.mark.parametrize("who", SEES)
def test_order_detail(api, sales, who):
    response = api(who).get(f"/orders/{sales.order.pk}")
    assert response.status_code == 200
    assert len(response.json()["lines"]) == 2


def test_partners_do_not_see_cost_or_margin(api, sales):
    body = api("pat").get(f"/orders/{sales.order.pk}").json()
    assert body["cost"] is None and body["margin"] is None
    assert {line["cost"] for line in body["lines"]} == {None}
    body = api("alice").get(f"/orders/{sales.order.pk}").json()
    assert body["cost"] == "74.00" and body["margin"] == "65.80"


def test_unauthenticated_is_401(api, org, sales):
    assert api(None).get(f"/customers/{org.customer.pk}/orders").status_code == 401
    assert api(None).get(f"/orders/{sales.order.pk}").status_code == 401


@pytest.mark.parametrize("who", EDITORS)
def test_editors_create_with_computed_totals(api, org, sales, who):
    response = api(who).post(f"/customers/{org.customer.pk}/orders", new_order(sales))
    assert response.status_code == 201, response.content
    body = response.json()
    # 3 × 19.90 = 59.70 at list price; 1.5 × 90 = 135.00; costs 3 × 7 + 1.5 × 60 = 111.
    assert [line["amount"] for line in body["lines"]] == ["59.70", "135.00"]
    assert body["amount"] == "194.70" and body["cost"] == "111.00"
    assert body["sales_rep"]["username"] == who
    order = Order.objects.get(number="SO-2")
    assert order.amount == Decimal("194.70") and order.lines.count() == 2


@pytest.mark.parametrize("who", NOT_EDITORS + ["quinn"])
def test_roles_that_may_not_edit_get_403(api, org, sales, who):
    response = api(who).post(f"/customers/{org.customer.pk}/orders", new_order(sales))
    assert response.status_code == 403
    assert not Order.objects.filter(number="SO-2").exists()


def test_outsider_gets_404(api, org, sales):
    response = api("charlie").post(f"/customers/{org.customer.pk}/orders", new_order(sales))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "change, loc",
    [
        ({"number": "SO-1"}, ["body", "number"]),  # taken
        ({"channel": "telepathy"}, ["body", "channel"]),
        ({"ordered_on": "31/31/2024"}, ["body", "ordered_on"]),
        ({"status": "lost"}, ["body", "status"]),
        ({"campaign_id": 999}, ["body", "campaign_id"]),
        ({"lines": []}, ["body", "lines"]),
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, ["body", "lines", 0, "product_id"]),
        ({"lines": [{"quantity": 1}]}, ["body", "lines", 0, "product_id"]),
        ({"lines": [{"sku": "W-1", "quantity": "-2"}]}, ["body", "lines", 0, "quantity"]),
        ({"lines": [{"sku": "W-1", "quantity": "lots"}]}, ["body", "lines", 0, "quantity"]),
        (
            {
                "lines": [
                    {"sku": "W-1", "quantity": 1},
                    {"sku": "W-1", "quantity": 1, "unit_price": "1.234"},
                ]
            },
            ["body", "lines", 1, "unit_price"],
        ),
    ],
)
def test_invalid_orders_are_422_and_write_nothing(api, org, sales, change, loc):
    response = api("alice").post(f"/customers/{org.customer.pk}/orders", new_order(sales, **change))
    assert response.status_code == 422, response.content
    assert loc in [item["loc"] for item in response.json()["detail"]]
    assert Order.objects.count() == 1
