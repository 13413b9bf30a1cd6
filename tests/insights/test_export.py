"""The CSV and Excel exports: the per-customer scores of the current snapshot, with the
report's filters and permission checks (a manager exports their teams only; reps refused)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import login

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # for Excel
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_csv_content_for_admin(scored, client):
    login(client, scored.root)
    response = client.get("/insights/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "kehu-value-2025-06-30.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert [r["name"] for r in rows] == ["陈静", "王芳", "赵磊", "李娜"]  # best profit first
    wang = rows[1]
    assert float(wang["profit"]) == pytest.approx(435)
    assert float(wang["cost to serve"]) == pytest.approx(65)
    assert float(wang["bad debt"]) == pytest.approx(300)
    assert wang["team"] == "North"
    assert rows[3]["loss reason"] == "cost_to_serve"


def test_csv_manager_gets_own_teams_and_filters_apply(scored, client):
    login(client, scored.mia)
    names = {r["name"] for r in _csv(client.get("/insights/export.csv"))}
    assert names == {"王芳", "李娜", "赵磊"}
    login(client, scored.root)
    rows = _csv(client.get(f"/insights/export.csv?team={scored.south.pk}"))
    assert [r["name"] for r in rows] == ["陈静"]


@pytest.mark.parametrize("persona", ["alice", "charlie", "sam", "pat"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_refused(scored, client, persona, fmt):
    login(client, getattr(scored, persona))
    assert client.get(f"/insights/export.{fmt}").status_code == 403


def test_xlsx_export(scored, client):
    login(client, scored.ana)
    response = client.get("/insights/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("customer id", "name")
    assert len(rows) == 5
    assert rows[1][1] == "陈静"


def test_formula_like_names_are_defused(scored, client):
    scored.li.name = "=HYPERLINK(1)"
    scored.li.save()
    login(client, scored.root)
    rows = _csv(client.get("/insights/export.csv"))
    assert rows[-1]["name"] == "'=HYPERLINK(1)"
