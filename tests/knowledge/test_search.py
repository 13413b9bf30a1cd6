"""Search in both languages (SQLite's substring match here; tests/knowledge/test_search_postgres
runs the same questions on PostgreSQL's full text): a part of a Chinese title or text finds the
article, every English word must appear, title hits first, the reader's language first."""

from __future__ import annotations

import pytest

from kehu.knowledge import selectors
from tests.knowledge.helpers import article, category


@pytest.fixture
def kb(org):
    returns = category()
    return {
        "return_zh": article(org, title_zh="如何申请退货", body_zh="收到商品7天内可申请无理由退货。",
                             category=returns),
        "invoice_zh": article(org, title_zh="电子发票怎么下载", body_zh="在订单详情页点击下载发票。"),
        "return_en": article(org, title_zh="", body_zh="", title_en="How to return a product",
                             body_en="Ask for a refund within 7 days of delivery.", category=returns),
        "both": article(org, title_zh="修改收货地址", title_en="Change the delivery address",
                        body_zh="发货前可以修改。", body_en="You can change it before shipping."),
    }  # fmt: skip


def _titles(user, query, lang="zh-hans", **kw):
    return [a.pk for a in selectors.articles(user=user, query=query, lang=lang, **kw)]


def test_part_of_a_chinese_title_finds_it(org, kb):
    assert _titles(org.sam, "退货") == [kb["return_zh"].pk]


def test_chinese_words_in_the_text_only(org, kb):
    assert _titles(org.sam, "订单详情") == [kb["invoice_zh"].pk]


def test_every_english_word_must_appear(org, kb):
    assert _titles(org.sam, "refund delivery", lang="en") == [kb["return_en"].pk]
    assert _titles(org.sam, "refund invoice", lang="en") == []


def test_title_hits_before_text_hits(org, kb):
    # "delivery" is in one title and in another article's text.
    assert _titles(org.sam, "delivery", lang="en") == [kb["both"].pk, kb["return_en"].pk]


def test_reader_language_first(org, kb):
    # "7" is in the texts of both return articles; each reader gets theirs first.
    assert _titles(org.sam, "7", lang="zh-hans")[0] == kb["return_zh"].pk
    assert _titles(org.sam, "7", lang="en")[0] == kb["return_en"].pk


def test_category_filter(org, kb):
    returns = kb["return_zh"].category_id
    assert set(_titles(org.sam, "", category=returns)) == {kb["return_zh"].pk, kb["return_en"].pk}


def test_the_page_searches_in_the_reader_language(client, org, kb):
    client.force_login(org.alice)
    page = client.get("/knowledge/", {"q": "address"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Change the delivery address" in page and "How to return" not in page
    page = client.get("/knowledge/", {"q": "无此内容"}).content.decode()
    assert 'id="kb-empty"' in page
