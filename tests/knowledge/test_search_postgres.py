"""The same questions on PostgreSQL, where English goes through full-text search ('simple'
configuration) and Chinese through the substring match: its parser keeps a run of Chinese
characters as one lexeme, so full text alone would not find 退货 in 如何申请退货."""

from __future__ import annotations

import pytest
from django.db import connection

from kehu.knowledge import selectors
from tests.knowledge.helpers import article

pytestmark = pytest.mark.postgres


@pytest.fixture
def kb(org):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search is PostgreSQL's")
    return {
        "return_zh": article(org, title_zh="如何申请退货", body_zh="收到商品7天内可申请无理由退货。"),
        "return_en": article(org, title_zh="", body_zh="", title_en="How to return a product",
                             body_en="Ask for a refund within 7 days of delivery."),
        "address": article(org, title_zh="修改收货地址", title_en="Change the delivery address",
                           body_zh="发货前可以修改。",
            body_en="You can change it before shipping.",),
    }  # fmt: skip


def _ids(org, query, lang):
    return [a.pk for a in selectors.articles(user=org.sam, query=query, lang=lang)]


def test_full_text_does_not_split_chinese(kb):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('simple', '如何申请退货') @@ "
                       "websearch_to_tsquery('simple', '退货')")  # fmt: skip
        assert cursor.fetchone()[0] is False


def test_chinese_by_substring(org, kb):
    assert _ids(org, "退货", "zh-hans") == [kb["return_zh"].pk]


def test_english_by_full_text_with_title_first(org, kb):
    assert _ids(org, "delivery", "en") == [kb["address"].pk, kb["return_en"].pk]
    assert _ids(org, "refund days", "en") == [kb["return_en"].pk]
    assert _ids(org, "refund invoice", "en") == []


def test_number_inside_chinese_text(org, kb):
    # "7" is inside the lexeme 商品7天内 of the Chinese text: found by the substring match.
    assert _ids(org, "7", "zh-hans") == [kb["return_zh"].pk, kb["return_en"].pk]


def test_half_typed_title_word(org, kb):
    assert _ids(org, "addr", "en") == [kb["address"].pk]
