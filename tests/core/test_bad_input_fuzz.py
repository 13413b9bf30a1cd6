"""Table-driven: the bad values the probe found (year-0001 and year-9999 times that overflow
converting to UTC, ids past 2**63, ambiguous and full-width numbers) on every API endpoint
and web page that takes them: always a 4xx or a form error, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login

pytestmark = pytest.mark.django_db

NUMBERS = ["1,2,3", "１２３", "12,34", "1e999999", "99999999999999999999"]


def _no_500(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:200])


@pytest.mark.parametrize(
    "path",
    [
        "/customers/?owner={v}",
        "/customers/?team={v}",
        "/quality/duplicates/?page={v}",
        "/quality/duplicate-check/?customer_id={v}",
        "/insights/?team={v}",
        "/insights/?region={v}",
        "/insights/export.csv?team={v}",
    ],
)
def test_web_query_parameters(org, path):
    client = login(Client(raise_request_exception=False), org.root)
    for value in NUMBERS + ["-1", "abc", "0x10"]:
        response = client.get(path.format(v=value))
        assert response.status_code != 500, (path, value)


def test_web_forms_turn_bad_values_into_form_errors(org):
    client = login(Client(raise_request_exception=False), org.alice)
    c = org.customer.pk
    for value in ["0001-01-01T00:00", "9999-12-31T23:59"]:
        response = client.post(
            f"/customers/{c}/interactions/new/",
            {"channel": "phone", "direction": "out", "department": "sales", "subject": "s",
             "occurred_at": value},
        )  # fmt: skip
        assert response.status_code == 400, value
    for field, value in [("acquired_on", "0001-01-01"), ("household_size", "１２３"),
                         ("employees", "1,2,3")]:  # fmt: skip
        response = client.post(
            f"/customers/{c}/edit/", {"kind": "person", "name": "张伟", field: value}
        )
        assert response.status_code == 200 and b"has-error" in response.content, field
    assert not org.customer.interactions.exists()
