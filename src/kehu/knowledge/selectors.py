"""Article reads: the staff's through the permission rule (``permissions.restrict``), the
public's through ``public_articles``/``public_article`` (no user: the customer portal and
anonymous visitors), and the search both use.

Search, measured on PostgreSQL 15 with the 'simple' configuration: the default parser keeps a
run of Chinese characters as ONE lexeme (``to_tsvector('simple', '如何申请退货')`` is
``'如何申请退货'``), so the query 退货 does not match 如何申请退货 by full text — Chinese has no
spaces to split words on, and there is no Chinese parser (zhparser) on a stock server. The
same holds for a number or model code inside Chinese text: 商品7天内 is one lexeme, so "7"
finds only the English article. So a query with Chinese characters is matched by substring
(``icontains``) on the titles and texts in both languages, each space-separated term
required; other queries (English, numbers, model codes) match by full text (ranked, titles
weighing more than texts) OR by that substring match, which also finds a half-typed word
("refu"). A knowledge base holds thousands of articles, not millions, so the scan costs
milliseconds. SQLite, which has no full-text search here, uses the substring match alone.
Either way a hit in the title ranks first, and articles written in the reader's language come
before the rest.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.knowledge.models import Article, Category, _chinese

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_TERMS = 8
MAX_QUERY = 200


def _terms(query: str) -> list[str]:
    return query.split()[:MAX_TERMS]


def _every_term(terms: list[str], fields: tuple[str, ...]) -> Q:
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term})
        condition &= any_field
    return condition


TITLES = ("title_zh", "title_en")
TEXTS = ("title_zh", "title_en", "body_zh", "body_en")


def search(qs: QuerySet, query: str, *, lang: str) -> QuerySet:
    """``qs`` narrowed to the articles matching ``query`` (all when blank), the reader's
    language first, then title hits, then the full-text rank (PostgreSQL), then the newest."""
    query = " ".join(query.split())[:MAX_QUERY]
    own_title = "title_zh" if _chinese(lang) else "title_en"
    qs = qs.annotate(
        in_lang=Case(
            When(**{own_title: ""}, then=Value(0)), default=Value(1), output_field=IntegerField()
        )  # fmt: skip
    )
    if not query:
        return qs.order_by("-in_lang", "-updated_at", "-id")
    terms = _terms(query)
    in_title = _every_term(terms, TITLES)
    qs = qs.annotate(
        title_hit=Case(
            When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
        )  # fmt: skip
    )
    if connections[qs.db].vendor == "postgresql" and not CJK.search(query):
        vector = SearchVector("title_zh", "title_en", config="simple", weight="A") + SearchVector(
            "body_zh", "body_en", config="simple", weight="B"
        )
        ts_query = SearchQuery(query, config="simple", search_type="websearch")
        qs = qs.annotate(document=vector, rank=SearchRank(vector, ts_query))
        return qs.filter(Q(document=ts_query) | _every_term(terms, TEXTS)).order_by(
            "-in_lang", "-title_hit", "-rank", "-updated_at", "-id"
        )
    return qs.filter(_every_term(terms, TEXTS)).order_by(
        "-in_lang", "-title_hit", "-updated_at", "-id"
    )


def visible_articles(user: Any) -> QuerySet:
    return permissions.restrict(Article.objects.all(), user, Action.VIEW)


def articles(
    *, user: Any, query: str = "", lang: str, category: int | None = None, status: str = ""
) -> QuerySet:
    qs = visible_articles(user).select_related("category")
    if category is not None:
        qs = qs.filter(category_id=category)
    if status in Article.Status.values:
        qs = qs.filter(status=status)
    return search(qs, query, lang=lang)


def article_for(*, user: Any, pk: int) -> Article | None:
    return (
        visible_articles(user).select_related("category", "author", "source_ticket").filter(pk=pk)
    ).first()


def _public() -> QuerySet:
    return Article.objects.filter(
        status=Article.Status.PUBLISHED, visibility=Article.Visibility.PUBLIC
    ).select_related("category")


def public_articles(
    *, query: str = "", lang: str = "zh-hans", category: int | None = None, limit: int = 20
) -> list[Article]:
    """Published public articles for readers without a staff account (the customer portal,
    anonymous visitors): ``query`` as typed (blank: the newest), ``lang`` the reader's
    language code ("zh-hans" or "en"; articles in it come first, each article's
    ``title(lang)``/``body(lang)`` fall back to the other language), an optional category
    id, at most ``limit`` (≤ 100) articles. Internal articles and drafts are never returned."""
    qs = _public()
    if category is not None:
        qs = qs.filter(category_id=category)
    return list(search(qs, query, lang=lang)[: max(0, min(limit, 100))])


def public_article(*, pk: int) -> Article | None:
    """One published public article by id (None for drafts, internal or missing ones)."""
    return _public().filter(pk=pk).first()


def linkable(*, user: Any, query: str, lang: str, limit: int = 8) -> list[Article]:
    """Articles an agent may link in a reply to the customer: published and public only,
    since the customer who follows the link has no staff account."""
    if not permissions.can(user, Action.VIEW):
        return []
    return list(search(_public(), query, lang=lang)[:limit])


def categories() -> list[Category]:
    return list(Category.objects.all())
