"""Invoices and payments: read by whoever sees the customer; a payment updates the invoice's
paid amount and paid date in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.sales.models import Invoice, Payment
from tests.api.conftest import EDITORS, HIDDEN, NOT_EDITORS, SEES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", SEES)
def test_invoices_and_payments_of_a_visible_customer(api, org, sales, who):
    client = api(who)
    invoices = client.get(f"/customers/{org.customer.pk}/invoices")
    assert invoices.status_code == 200
    (row,) = invoices.json()["items"]
    assert row["number"] == "INV-1" and row["outstanding"] == "139.80"
    assert row["is_overdue"] is True  # due 2024-05-31, unpaid
    detail = client.get(f"/invoices/{sales.invoice.pk}")
    assert detail.status_code == 200 and detail.json()["payments"] == []
    assert client.get(f"/customers/{org.customer.pk}/payments").status_code == 200


@pytest.mark.parametrize("who", HIDDEN)
def test_hidden_customer_is_404(api, org, sales, who):
    client = api(who)
    assert client.get(f"/customers/{org.customer.pk}/invoices").status_code == 404
    assert client.get(f"/customers/{org.customer.pk}/payments").status_code == 404
    assert client.get(f"/invoices/{sales.invoice.pk}").status_code == 404


def test_open_filter(api, org, sales):
    client = api("alice")
    assert (
        len(client.get(f"/customers/{org.customer.pk}/invoices", {"open": "true"}).json()["items"])
        == 1
    )
    assert (
        client.get(f"/customers/{org.customer.pk}/invoices", {"open": "false"}).json()["items"]
        == []
    )


def test_unauthenticated_is_401(api, org, sales):
    assert api(None).get(f"/invoices/{sales.invoice.pk}").status_code == 401
    assert (
        api(None).post(f"/invoices/{sales.invoice.pk}/payments", {"amount": 1}).status_code == 401
    )


@pytest.mark.parametrize("who", EDITORS)
def test_editors_record_a_payment(api, sales, who):
    response = api(who).post(
        f"/invoices/{sales.invoice.pk}/payments",
        {"amount": "100", "paid_on": "2024-06-02", "method": "transfer"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["payment"]["amount"] == "100.00"
    assert body["invoice"]["paid_amount"] == "100.00" and body["invoice"]["paid_on"] is None
    assert body["invoice"]["outstanding"] == "39.80"


def test_settling_payment_sets_paid_on_to_the_latest_payment(api, sales):
    client = api("alice")
    client.post(f"/invoices/{sales.invoice.pk}/payments", {"amount": 100, "paid_on": "2024-06-05"})
    body = client.post(
        f"/invoices/{sales.invoice.pk}/payments", {"amount": "39.80", "paid_on": "2024-06-03"}
    ).json()
    assert body["invoice"]["outstanding"] == "0.00"
    assert body["invoice"]["paid_on"] == "2024-06-05"
    sales.invoice.refresh_from_db()
    assert sales.invoice.paid_amount == Decimal("139.80")
    assert sales.invoice.paid_on == dt.date(2024, 6, 5)
    assert [
        p["amount"] for p in client.get(f"/invoices/{sales.invoice.pk}").json()["payments"]
    ] == [
        "39.80",
        "100.00",
    ]


@pytest.mark.parametrize("who", NOT_EDITORS + ["quinn"])
def test_roles_that_may_not_edit_get_403(api, sales, who):
    response = api(who).post(f"/invoices/{sales.invoice.pk}/payments", {"amount": 10})
    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_outsider_gets_404(api, sales):
    response = api("charlie").post(f"/invoices/{sales.invoice.pk}/payments", {"amount": 10})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"amount": "200"}, "amount"),  # more than outstanding
        ({"amount": 0}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": 10, "paid_on": "2999-01-01"}, "paid_on"),
        ({"amount": 10, "paid_on": "someday"}, "paid_on"),
        ({"amount": "1.001"}, "amount"),
    ],
)
def test_invalid_payments_are_422_and_change_nothing(api, sales, payload, field):
    response = api("alice").post(f"/invoices/{sales.invoice.pk}/payments", payload)
    assert response.status_code == 422, response.content
    assert ["body", field] in [item["loc"] for item in response.json()["detail"]]
    assert not Payment.objects.exists()
    assert Invoice.objects.get().paid_amount == Decimal("0")


def test_duplicate_external_id_is_422(api, sales):
    client = api("alice")
    payload = {"amount": 10, "external_id": "BANK-1"}
    assert client.post(f"/invoices/{sales.invoice.pk}/payments", payload).status_code == 201
    response = client.post(f"/invoices/{sales.invoice.pk}/payments", payload)
    assert response.status_code == 422
    assert Invoice.objects.get().paid_amount == Decimal("10")
