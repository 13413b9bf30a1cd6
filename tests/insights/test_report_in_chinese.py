"""The report speaks Simplified Chinese (the default language) as well as English."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_report_in_chinese_and_english(scored, client):
    login(client, scored.root)
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/insights/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "客户价值" in html and "鲸鱼曲线" in html and "前 20% 的客户创造了" in html
    client.cookies["django_language"] = "en"
    html = client.get("/insights/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Customer value" in html and "The top 20% of customers make" in html
