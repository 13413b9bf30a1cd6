"""The churn report's export: one workbook with a sheet per table (translated titles and
headers), or one table per CSV; filtered like the page, limited to what the user sees."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


def test_workbook_in_english(org, client):
    risky(org)
    client.cookies["django_language"] = "en"
    login(client, org.mia)
    response = client.get("/insights/churn/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Churn over time",
        "Risk distribution",
        "Reasons by segment",
        "Backtest",
        "Cohorts",
    ]
    trend = list(book["Churn over time"].iter_rows(values_only=True))
    assert trend[0][:3] == ("As of", "Customers", "Complete churn")
    # mia sees North's live customers: 张伟, Bolt, Low, Gone, Nothing
    assert [row[:2] for row in trend[1:]] == [("2025-05-31", 5), ("2025-06-30", 5)]


def test_csv_table_in_chinese(org, client):
    risky(org)
    client.cookies["django_language"] = "zh-hans"
    login(client, org.root)
    response = client.get(
        "/insights/churn/export.csv", {"table": "distribution", "team": org.south.pk}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["流失风险", "客户"]
    assert ["80–90%", "1"] in rows and ["高风险", "1"] in rows
