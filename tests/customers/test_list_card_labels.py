"""On a phone the customer list's rows become cards, each cell labelled with its column's
name in the reader's language (the labels are translated once per page)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def labels(client, lang: str) -> list[str]:
    client.cookies["django_language"] = lang
    response = client.get("/customers/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return re.findall(r'data-label="([^"]+)"', response.content.decode())


def test_each_card_cell_is_labelled_in_both_languages(org, client):
    login(client, org.root)
    zh = labels(client, "zh-hans")
    en = labels(client, "en")
    assert {"电话", "城市", "等级", "状态", "负责人", "团队"} <= set(zh)
    assert {"Phone", "City", "Grade", "Status", "Owner", "Team"} <= set(en)
    # Every row labels its cells: as many labels in either language, a multiple of the rows.
    assert len(zh) == len(en) and len(zh) % zh.count("电话") == 0 and zh.count("电话") >= 1
