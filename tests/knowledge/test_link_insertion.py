"""Agents link articles in replies: the ticket's reply form has the article search; its
results offer published public articles only (the customer has no staff account), each with
the text to insert — the title and the article's full address."""

from __future__ import annotations

from html import unescape

from tests.conftest import login
from tests.knowledge.helpers import article
from tests.service.helpers import ticket


def test_reply_form_has_the_search(client, org):
    t = ticket(org)
    page = login(client, org.sam).get(f"/service/{t.pk}/").content.decode()
    assert 'id="kb-link-search"' in page and "/knowledge/links/" in page


def test_results_carry_the_link_to_insert(client, org):
    a = article(org, title_zh="滤芯更换步骤")
    page = login(client, org.sam).get("/knowledge/links/", {"kb_q": "滤芯"}).content.decode()
    assert f'data-kb-insert="滤芯更换步骤: http://testserver/knowledge/{a.pk}/"' in unescape(page)
    assert 'data-kb-target="id_body"' in page


def test_only_published_public_articles_are_offered(client, org):
    article(org, title_zh="滤芯内部说明", visibility="internal")
    article(org, title_zh="滤芯草稿", status="draft")
    shown = article(org, title_zh="滤芯公开说明")
    page = login(client, org.sam).get("/knowledge/links/", {"kb_q": "滤芯"}).content.decode()
    assert "滤芯公开说明" in page and "滤芯内部说明" not in page and "滤芯草稿" not in page
    assert f'data-article="{shown.pk}"' in page


def test_blank_query_lists_nothing(client, org):
    article(org, title_zh="滤芯更换步骤")
    page = login(client, org.sam).get("/knowledge/links/", {"kb_q": " "}).content.decode()
    assert "滤芯" not in page
