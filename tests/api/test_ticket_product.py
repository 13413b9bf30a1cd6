"""A ticket can say which product a fault is about (the proactive "fault seen at other
customers with the same product" rule reads it): set through the API and the ticket form; an
unknown product is refused naming the field, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.sales.models import Product
from kehu.service.models import Ticket
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def heater(db):
    return Product.objects.create(
        sku="H-1", name="热水器", price=Decimal("999.00"), unit_cost=Decimal("500.00")
    )


def test_api_sets_and_shows_the_product(api, org, heater):
    response = api(org.sam).post("/tickets", {"customer_id": org.customer.pk, "subject": "不出热水",
                                              "kind": "fault", "product_id": heater.pk})  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["product_id"] == heater.pk
    assert Ticket.objects.get(pk=response.json()["id"]).product == heater


def test_api_refuses_an_unknown_product(api, org):
    response = api(org.sam).post("/tickets", {"customer_id": org.customer.pk, "subject": "x",
                                              "product_id": 999_999})  # fmt: skip
    assert response.status_code == 422
    assert "product_id" in response.content.decode()
    assert not Ticket.objects.exists()


def test_form_sets_the_product_and_refuses_an_unknown_one(client, org, heater):
    login(client, org.sam)
    url = f"/service/new/?customer={org.customer.pk}"
    bad = client.post(url, {"subject": "x", "kind": "fault", "priority": "normal",
                            "channel": "phone", "product": "999999"})  # fmt: skip
    assert bad.status_code == 400 and not Ticket.objects.exists()
    ok = client.post(url, {"subject": "不出热水", "kind": "fault", "priority": "normal",
                           "channel": "phone", "product": str(heater.pk)})  # fmt: skip
    assert ok.status_code == 302
    assert Ticket.objects.get().product == heater
