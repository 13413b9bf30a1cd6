"""``public_articles`` / ``public_article``, what the customer portal calls: published public
articles only, searched, the reader's language first, each title falling back to the other
language."""

from __future__ import annotations

from kehu.knowledge.selectors import public_article, public_articles
from tests.knowledge.helpers import article


def test_only_published_public(org):
    shown = article(org, title_zh="公开")
    internal = article(org, title_zh="内部", visibility="internal")
    draft = article(org, title_zh="草稿", status="draft")
    assert [a.pk for a in public_articles()] == [shown.pk]
    assert public_article(pk=shown.pk) == shown
    assert public_article(pk=internal.pk) is None and public_article(pk=draft.pk) is None


def test_query_language_and_fallback(org):
    zh = article(org, title_zh="退货流程", body_zh="七天无理由退货")
    en = article(org, title_zh="", body_zh="", title_en="Returns", body_en="退货 within 7 days")
    found = public_articles(query="退货", lang="en")
    assert [a.pk for a in found] == [en.pk, zh.pk]
    assert found[1].title("en") == "退货流程"  # no English title: the Chinese one
    assert [a.pk for a in public_articles(query="退货", lang="zh-hans")] == [zh.pk, en.pk]


def test_limit(org):
    for i in range(5):
        article(org, title_zh=f"文章{i}")
    assert len(public_articles(limit=3)) == 3
    assert len(public_articles(limit=-1)) == 0
