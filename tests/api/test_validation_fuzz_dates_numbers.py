"""Table-driven: the bad values the probe found (year-0001 and year-9999 times that overflow
converting to UTC, ids past 2**63, ambiguous and full-width numbers) on every API endpoint
and web page that takes them: always a 4xx or a form error, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

TIMES = ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-08:00"]
DATES = ["0001-01-01", "1899-12-31", "9999-12-31"]
NUMBERS = ["1,2,3", "１２３", "12,34", "1e999999", "99999999999999999999"]


def _no_500(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:200])


def test_api_times(api, org):
    client = api("alice")
    client.client.raise_request_exception = False
    c = org.customer.pk
    for value in TIMES:
        _no_500(client.get("/customers", {"updated_since": value}))
        _no_500(client.get("/interactions", {"since": value}))
        _no_500(client.get("/interactions", {"until": value}))
        _no_500(client.get(f"/customers/{c}/interactions", {"since": value}))
        body = {"channel": "phone", "subject": "s", "occurred_at": value}
        _no_500(client.post(f"/customers/{c}/interactions", body))


def test_api_business_dates_and_numbers(api, org, sales):
    client = api("alice")
    client.client.raise_request_exception = False
    c = org.customer.pk
    order = {"number": "F-1", "channel": "web", "lines": [{"sku": "W-1", "quantity": 1}]}
    for value in DATES:
        _no_500(client.post(f"/customers/{c}/orders", {**order, "ordered_on": value}))
        _no_500(
            client.post(f"/invoices/{sales.invoice.pk}/payments", {"amount": 1, "paid_on": value})
        )
        _no_500(client.post("/customers", {"name": "Fuzz", "acquired_on": value}))
        _no_500(client.patch(f"/customers/{c}", {"acquired_on": value}))
    for value in NUMBERS:
        line = {"sku": "W-1", "quantity": value}
        _no_500(client.post(f"/customers/{c}/orders", {**order, "lines": [line]}))
        _no_500(client.post(f"/invoices/{sales.invoice.pk}/payments", {"amount": value}))
        _no_500(client.patch(f"/customers/{c}", {"household_size": value}))
    assert org.customer.orders.count() == 1  # the fixture's own
