"""Bad input: an article without a title in either language is refused with the error on both
title fields (400 on the page, 422 from the API), and nothing is written."""

from __future__ import annotations

from tests.conftest import login
from tests.knowledge.helpers import article, snapshot


def test_page_refuses_no_title(client, org):
    before = snapshot()
    response = login(client, org.sam).post(
        "/knowledge/new/",
        {
            "title_zh": "  ",
            "title_en": "",
            "body_zh": "只有正文",
            "visibility": "public",
            "status": "published",
        },  # fmt: skip
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Give the article a title in Chinese or in English.") == 2
    assert 'data-field="title_zh"' in page and 'data-field="title_en"' in page
    assert "只有正文" in page  # what was typed is kept
    assert snapshot() == before


def test_page_refuses_no_title_in_chinese(client, org):
    response = login(client, org.sam).post("/knowledge/new/",
                                           {"visibility": "public", "status": "draft"})  # fmt: skip
    assert response.status_code == 400
    assert "请填写中文或英文标题。" in response.content.decode()


def test_edit_refuses_removing_both_titles(client, org):
    a = article(org)
    before = snapshot()
    response = login(client, org.sam).post(
        f"/knowledge/{a.pk}/edit/",
        {
            "title_zh": "",
            "title_en": "",
            "visibility": "public",
            "status": "published",
        },  # fmt: skip
    )
    assert response.status_code == 400 and snapshot() == before


def test_page_refuses_an_unknown_visibility(client, org):
    before = snapshot()
    response = login(client, org.sam).post(
        "/knowledge/new/", {"title_zh": "标题", "visibility": "everyone", "status": "draft"}
    )
    assert response.status_code == 400 and snapshot() == before


def test_api_refuses_no_title(client, org):
    before = snapshot()
    response = login(client, org.sam).post(
        "/api/v1/knowledge", {"body_en": "text only"}, content_type="application/json"
    )
    assert response.status_code == 422
    locs = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert {("body", "title_zh"), ("body", "title_en")} <= locs
    assert snapshot() == before


def test_api_refuses_an_unknown_category(client, org):
    before = snapshot()
    response = login(client, org.sam).post(
        "/api/v1/knowledge",
        {"title_zh": "标题", "category_id": 999},
        content_type="application/json",
    )
    assert response.status_code == 422 and snapshot() == before
