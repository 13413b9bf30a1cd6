"""The retention pages speak Simplified Chinese (the default language) and English."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "chinese", "english"),
    [
        ("/today/", "今天没有待办事项", "Nothing due today"),
        ("/retention/policy/", "价值层级 × 风险等级", "Tier × risk band"),
        ("/retention/exits/", "赢回：流失的高价值客户", "Win-back: lost high-value customers"),
        ("/retention/results/", "尚无挽留方案运行", "No playbook has run yet"),
        ("/retention/targets/", "客户留存率（%）", "Retention rate of the book (%)"),
    ],
)
def test_page_in_both_languages(org, client, url, chinese, english):
    login(client, org.mia)
    client.cookies["django_language"] = "zh-hans"
    assert chinese in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
