"""Exports of the win-back list and of a playbook's results: CSV and XLSX, headers in the
reader's language, the customers' own words masked for analysts, formula-safe cells; refused
for those who may not export (nothing written to the audit log by a refusal)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kehu.core.models import AuditEvent
from kehu.retention import services
from kehu.retention.models import ControlAssignment, ExitReason
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def data(org):
    services.current_policy()
    customers = scored(org, n=8, tier="major")
    for i, c in enumerate(customers):
        ControlAssignment.objects.create(
            group="playbook:try_hard", customer=c, stratum="major|high",
            is_control=i >= 4, share=0.5, seed="t", assigned_on=AS_OF,
        )  # fmt: skip
    # Treated: 3 of 4 stay; control: 1 of 4 stays.
    for c in [customers[0], *customers[4:7]]:
        ExitReason.objects.create(
            customer=c, reason="price", tier="major", left_on=AS_OF + dt.timedelta(days=3),
            text="=对手便宜 13800138000",
        )  # fmt: skip
    org.customers = customers
    return org


def _csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_win_back_words_for_managers_masked_for_analysts(data, client):
    client.cookies["django_language"] = "zh-hans"
    rows = _csv(login(client, data.root).get("/retention/exits/win-back.csv"))
    assert rows[0][:3] == ["客户", "层级", "最近原因"]
    assert len(rows) == 5
    assert {r[3] for r in rows[1:]} == {"'=对手便宜 13800138000"}  # formula-safe
    assert {r[5] for r in rows[1:]} == {"已流失"}
    rows = _csv(login(client, data.ana).get("/retention/exits/win-back.csv"))
    assert len(rows) == 5 and "13800138000" not in str(rows)
    assert {r[3] for r in rows[1:]} == {"****"}


def test_win_back_xlsx_in_english(data, client):
    client.cookies["django_language"] = "en"
    response = login(client, data.root).get("/retention/exits/win-back.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Customer", "Tier", "Last reason"]
    assert sheet.max_row == 5 and sheet.cell(2, 6).value == "Lost"


def test_results_csv_and_xlsx(data, client):
    client.cookies["django_language"] = "en"
    login(client, data.ana)
    rows = _csv(client.get("/retention/results/playbook:try_hard/export.csv"))
    assert rows[0] == [
        "Measure", "Treated", "Control", "Lift", "Lower bound", "Upper bound", "p value"
    ]  # fmt: skip
    retained = rows[1]
    assert retained[0] == "Retention rate"
    assert float(retained[1]) == pytest.approx(0.75) and float(retained[2]) == pytest.approx(0.25)
    assert float(retained[3]) == pytest.approx(0.5) and float(retained[4]) < 0.5
    customers = next(r for r in rows if r[0] == "Customers")
    assert customers[1:3] == ["4", "4"]
    saved = next(r for r in rows if r[0] == "Customers saved")
    assert float(saved[3]) == pytest.approx(2.0)
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/retention/results/playbook:try_hard/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "指标" and sheet.cell(2, 1).value == "留存率"


def test_pages_link_the_exports(data, client):
    login(client, data.mia)
    assert b'id="winback-csv"' in client.get("/retention/exits/").content
    page = client.get("/retention/results/playbook:try_hard/").content
    assert b"/retention/results/playbook:try_hard/export.csv" in page


def test_results_of_an_unknown_group_and_format(data, client):
    login(client, data.root)
    assert client.get("/retention/results/playbook:nothing/export.csv").status_code == 404
    assert client.get("/retention/results/playbook:try_hard/export.pdf").status_code == 404


@pytest.mark.parametrize(("persona", "url"), [
    ("alice", "/retention/exits/win-back.csv"), ("sam", "/retention/exits/win-back.csv"),
    ("pat", "/retention/exits/win-back.xlsx"),
    ("alice", "/retention/results/playbook:try_hard/export.csv"),
    ("sam", "/retention/results/playbook:try_hard/export.csv"),
    ("pat", "/retention/results/playbook:try_hard/export.xlsx"),
])  # fmt: skip
def test_refused(data, client, persona, url):
    events = AuditEvent.objects.count()
    assert login(client, getattr(data, persona)).get(url).status_code == 403
    assert AuditEvent.objects.count() == events
