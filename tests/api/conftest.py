"""API test helpers: a JSON client per persona (bearer token) and sales fixtures.

Persona expectations on ``org.customer`` (owned by alice in North, shared with partner P1):
alice, bob (teammate), mia (North's manager), sam (service), ana (analyst, masked), pat
(P1 user) and root see it; charlie (South) and quinn (P2 user) get 404.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from kehu.api.auth import issue_token
from kehu.sales.models import Invoice, Order, OrderLine, Product

BASE = "/api/v1"
SEES = ["alice", "bob", "mia", "sam", "ana", "pat", "root"]
HIDDEN = ["charlie", "quinn"]
EDITORS = ["alice", "bob", "mia", "sam", "root"]  # can_edit, and see org.customer
NOT_EDITORS = ["ana", "pat"]  # see it, but their role may not change it


class ApiClient:
    """A Django test client (full middleware stack) speaking JSON."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, path: str, params: dict | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, data: Any = None) -> Any:
        return self._send("post", path, data)

    def patch(self, path: str, data: Any = None) -> Any:
        return self._send("patch", path, data)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path)

    def raw_post(self, path: str, body: str) -> Any:
        return self.client.post(BASE + path, body, content_type="application/json")

    def _send(self, method: str, path: str, data: Any) -> Any:
        body = json.dumps({} if data is None else data)
        return getattr(self.client, method)(BASE + path, body, content_type="application/json")


@pytest.fixture
def api(org):
    """``api("alice")`` → a client authenticated with a fresh token of alice (a user object
    works too); ``api(None)`` → an anonymous client."""

    def make(who: Any) -> ApiClient:
        if who is None:
            return ApiClient(Client())
        user = getattr(org, who) if isinstance(who, str) else who
        _token, raw = issue_token(user=user, name="tests")
        return ApiClient(Client(headers={"Authorization": f"Bearer {raw}"}))

    return make


@pytest.fixture
def sales(org):
    """A product, one order with two lines and an open invoice for ``org.customer``."""

    class Sales:
        pass

    s = Sales()
    s.widget = Product.objects.create(
        sku="W-1", name="Widget", price=Decimal("19.90"), unit_cost=Decimal("7.00")
    )
    s.gadget = Product.objects.create(
        sku="G-1", name="Gadget", price=Decimal("100.00"), unit_cost=Decimal("60.00")
    )
    s.order = Order.objects.create(
        customer=org.customer,
        number="SO-1",
        ordered_on=dt.date(2024, 5, 1),
        channel="store",
        amount=Decimal("139.80"),
        cost=Decimal("74.00"),
    )
    OrderLine.objects.create(
        order=s.order,
        product=s.widget,
        quantity=Decimal("2"),
        unit_price=Decimal("19.90"),
        amount=Decimal("39.80"),
        cost=Decimal("14.00"),
    )
    OrderLine.objects.create(
        order=s.order,
        product=s.gadget,
        quantity=Decimal("1"),
        unit_price=Decimal("100.00"),
        amount=Decimal("100.00"),
        cost=Decimal("60.00"),
    )
    s.invoice = Invoice.objects.create(
        customer=org.customer,
        order=s.order,
        number="INV-1",
        issued_on=dt.date(2024, 5, 1),
        due_on=dt.date(2024, 5, 31),
        amount=Decimal("139.80"),
    )
    return s
