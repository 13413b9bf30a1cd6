"""The at-risk page, the risk block and the churn report read in Simplified Chinese and in
English, reasons included; on phones their tables become cards (each cell labelled)."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


def get(client, path, lang) -> str:
    client.cookies["django_language"] = lang
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_at_risk_page_in_both_languages(org, client):
    risky(org)
    login(client, org.mia)
    zh = get(client, "/insights/at-risk/", "zh-hans")
    assert "流失风险客户" in zh and "风险价值" in zh and "已 74 天未购买（通常 21 天）" in zh
    assert "高风险" in zh and "值得挽留" in zh
    en = get(client, "/insights/at-risk/", "en")
    assert "Customers at risk" in en and "Value at risk" in en
    assert "74 days since last purchase, usually 21" in en and "High risk" in en


def test_risk_block_in_both_languages(org, client):
    made = risky(org)
    login(client, org.mia)
    zh = get(client, f"/customers/{made.zhang.pk}/", "zh-hans")
    assert "流失风险" in zh and "消费较去年下降 60 %" in zh and "+20 个百分点" in zh
    en = get(client, f"/customers/{made.zhang.pk}/", "en")
    assert "Churn risk" in en and "spend down 60 % on last year" in en


def test_report_in_both_languages(org, client):
    risky(org)
    login(client, org.root)
    zh = get(client, "/insights/churn/", "zh-hans")
    assert "流失报告" in zh and "风险分布" in zh and "回测准确度" in zh
    en = get(client, "/insights/churn/", "en")
    assert "Churn report" in en and "Risk distribution" in en


def test_tables_are_cards_on_phones(org, client):
    risky(org)
    login(client, org.mia)
    html = get(client, "/insights/at-risk/", "en")
    assert '<table class="list cards" id="at-risk-table">' in html
    assert 'data-label="Value at risk"' in html and 'data-label="Why"' in html
    assert "insights/churn.css" in html
