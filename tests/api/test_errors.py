"""The error handlers: one JSON shape per status, and database errors mapped to 4xx."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError

from kehu.customers import services

pytestmark = pytest.mark.django_db


def test_schema_errors_name_the_field_without_the_python_parameter(api):
    response = api("alice").post("/customers", {"name": 42})
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "name"]
    assert set(item) == {"loc", "msg", "type"}


def test_missing_required_field(api):
    response = api("alice").post("/customers", {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_model_validation_errors_are_422_with_field(api):
    response = api("alice").post("/customers", {"name": "X", "household_size": 99})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "household_size"]


def test_integrity_error_from_a_race_is_409(api):
    with mock.patch.object(
        services, "customer_create", side_effect=IntegrityError("dup key on customers_x")
    ):
        response = api("alice").post("/customers", {"name": "Racer"})
    assert response.status_code == 409
    assert "customers_x" not in response.content.decode()  # no schema details leak


def test_permission_denied_is_403_json(api, org):
    response = api("ana").patch(f"/customers/{org.customer.pk}", {"city": "x"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role may not do this."}


def test_malformed_path_id_is_422_on_the_path(api):
    response = api("alice").get("/customers/not-a-number")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "customer_id"]


def test_huge_path_ids_are_404(api):
    assert api("alice").get(f"/customers/{2**70}").status_code == 404
    assert api("alice").get(f"/orders/{2**64}").status_code == 404


def test_write_is_all_or_nothing(api, org, sales):
    """An order whose second line fails leaves no order and no first line behind."""
    from kehu.sales.models import Order, OrderLine

    before = (Order.objects.count(), OrderLine.objects.count())
    with mock.patch(
        "kehu.sales.models.OrderLine.save", autospec=True, side_effect=[None, IntegrityError()]
    ):
        response = api("alice").post(
            f"/customers/{org.customer.pk}/orders",
            {
                "number": "SO-9",
                "channel": "web",
                "lines": [{"sku": "W-1", "quantity": 1}, {"sku": "G-1", "quantity": 1}],
            },
        )
    assert response.status_code == 409
    assert (Order.objects.count(), OrderLine.objects.count()) == before
