"""The customer list exports as a CSV with its filters, within the user's visibility and
masking, headers in the user's language, choices by label, amounts without float noise."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from kehu.customers import services
from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_follows_filters_and_visibility(client, org):
    services.customer_create(by=org.alice, owner=org.alice, name="杭州客户", city="杭州")
    services.customer_create(by=org.charlie, owner=org.charlie, name="南方杭州", city="杭州")
    Customer.objects.filter(name="杭州客户").update(
        profit=Decimal("1234.1"), lifecycle_status="active"
    )
    client.force_login(org.mia)
    client.cookies["django_language"] = "zh-hans"
    rows = _csv(client.get("/customers/export.csv", {"city": "杭州"}))
    header, body = rows[0], rows[1:]
    assert not header[0].isascii() and "lifecycle_status" not in header  # labels, in Chinese
    assert [r[0] for r in body] == ["杭州客户"]
    row = dict(zip(header, body[0], strict=True))
    assert "1234.10" in row.values() and "活跃" in row.values()


def test_analyst_export_is_masked(client, org):
    client.force_login(org.ana)
    client.cookies["django_language"] = "en"
    rows = _csv(client.get("/customers/export.csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Phone"] != "138 0013 8000" and "8000" not in row["Phone"][:6]
    assert "zhang.wei@example.com" not in rows[1]


def test_rep_may_not_export(client, org):
    client.force_login(org.alice)
    assert client.get("/customers/export.csv").status_code == 403
