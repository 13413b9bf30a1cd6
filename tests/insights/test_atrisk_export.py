"""The at-risk export (CSV and XLSX): the filtered list in the page's order, headers in the
reader's language, phones masked for analysts, the value column only for roles that see cost,
formulas escaped; roles that may not export get 403 and nothing is written."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer
from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:200]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_for_a_manager_in_english(org, client):
    risky(org)
    client.cookies["django_language"] = "en"
    login(client, org.mia)
    rows = read_csv(client.get("/insights/at-risk/export.csv"))
    assert rows[0][:4] == ["Customer id", "Name", "Phone", "Owner"]
    assert "Value at risk" in rows[0]
    assert [r[1] for r in rows[1:]] == ["张伟", "Bolt"]
    zhang = dict(zip(rows[0], rows[1], strict=True))
    assert zhang["Phone"] == "138 0013 8000"
    assert zhang["Value at risk"] == "5000.0"
    assert zhang["Churn risk (%)"] == "72.0"
    assert zhang["Reason 1"] == "74 days since last purchase, usually 21"


def test_csv_headers_in_chinese_and_filtered(org, client):
    made = risky(org)
    login(client, org.root)
    client.cookies["django_language"] = "zh-hans"
    rows = read_csv(client.get("/insights/at-risk/export.csv", {"team": org.south.pk}))
    assert rows[0][:3] == ["客户编号", "名称", "电话"]
    assert "风险价值" in rows[0] and "原因 1" in rows[0]
    assert [r[1] for r in rows[1:]] == [made.chen.name]


def test_analyst_gets_phones_masked(org, client):
    risky(org)
    login(client, org.ana)
    rows = read_csv(client.get("/insights/at-risk/export.csv"))
    phones = {r[1]: r[2] for r in rows[1:]}
    assert phones["张伟"] == "****8000"


def test_formula_in_a_name_is_escaped(org, client):
    made = risky(org)
    Customer.objects.filter(pk=made.bolt.pk).update(name="=HYPERLINK(1)")
    login(client, org.root)
    rows = read_csv(client.get("/insights/at-risk/export.csv"))
    assert "'=HYPERLINK(1)" in [r[1] for r in rows[1:]]


def test_xlsx(org, client):
    risky(org)
    client.cookies["django_language"] = "en"
    login(client, org.ana)
    response = client.get("/insights/at-risk/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Name" and [r[1] for r in rows[1:]] == ["Chen", "张伟", "Bolt"]
    assert rows[2][2] == "****8000"


@pytest.mark.parametrize("persona", ["alice", "charlie", "sam", "pat", "quinn"])
def test_roles_without_export_get_403(org, client, persona):
    risky(org)
    before = AuditEvent.objects.count()
    login(client, getattr(org, persona))
    for path in ("/insights/at-risk/export.csv", "/insights/at-risk/export.xlsx"):
        assert client.get(path).status_code == 403
    assert AuditEvent.objects.count() == before
