"""Exports of the exit-reason report and the targets: CSV and XLSX, translated headers,
the customers' own words masked for analysts, formula-safe cells; refused for those who may
not export (nothing is written to the audit log by a refusal)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kehu.core.models import AuditEvent
from kehu.retention import services, services_targets
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def exits(org):
    services.record_exit(
        customer=org.customer, by=org.alice, left_on=dt.date(2026, 1, 5),
        exit=services.ExitInput(reason="other", text="=对手便宜 13800138000", what_we_change="降价"),
    )  # fmt: skip
    return org


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_managers_get_the_words_analysts_get_them_masked(exits, client):
    client.cookies["django_language"] = "zh-hans"
    rows = _csv(login(client, exits.mia).get("/retention/exits/export.csv"))
    assert (rows[0][0], rows[0][1], rows[0][3]) == ("离开日期", "客户", "原因")
    assert rows[1][1] == "张伟" and rows[1][4] == "'=对手便宜 13800138000"  # formula-safe
    rows = _csv(login(client, exits.ana).get("/retention/exits/export.csv"))
    assert rows[1][4] == "****" and "13800138000" not in str(rows)


def test_xlsx_of_the_exits_and_the_targets(exits, client):
    services_targets.target_set(
        month=dt.date(2026, 1, 1), metric="won_back", value=3, team=exits.north, by=exits.root
    )
    login(client, exits.root)
    client.cookies["django_language"] = "en"
    book = load_workbook(io.BytesIO(client.get("/retention/exits/export.xlsx").content))
    assert [c.value for c in book.active[1]][:4] == ["Left on", "Customer", "Tier", "Reason"]
    response = client.get("/retention/targets/export.xlsx?month=2026-01")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Month", "For"] and "Customers won back · Target" in header
    north = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "North")
    assert north[header.index("Customers won back · Target")] == 3


@pytest.mark.parametrize(("persona", "url"), [
    ("alice", "/retention/exits/export.csv"), ("sam", "/retention/exits/export.csv"),
    ("pat", "/retention/exits/export.xlsx"), ("sam", "/retention/targets/export.csv"),
    ("pat", "/retention/targets/export.csv"),
])  # fmt: skip
def test_refused(exits, client, persona, url):
    events = AuditEvent.objects.count()
    assert login(client, getattr(exits, persona)).get(url).status_code == 403
    assert AuditEvent.objects.count() == events


def test_a_rep_exports_only_their_own_targets_line(exits, client):
    rows = _csv(login(client, exits.alice).get("/retention/targets/export.csv?month=2026-01"))
    assert len(rows) == 2 and rows[1][1] == "alice"
