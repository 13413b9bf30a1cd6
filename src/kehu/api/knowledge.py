"""The knowledge base (kehu.knowledge): list and search, one article, writing one, with the
pages' rules: staff read published articles (partner users the public ones only), service
agents, managers and administrators (``edit_article``) also drafts and write (403 for any
other role; 404 for an article the caller may not see). ``lang`` picks the language the
results come first in and each article's ``title``/``body`` (the other one as fallback)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404
from django.utils.translation import get_language
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kehu.api.common import ApiRequest, paginate
from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.knowledge import selectors, services
from kehu.knowledge.models import Article, Category

router = Router(tags=["knowledge"])


class ArticleQuery(Schema):
    q: str = Field("", max_length=200)
    category_id: int | None = None
    lang: Literal["", "zh-hans", "en"] = ""
    status: Literal["", "draft", "published"] = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class ArticleIn(Schema):
    title_zh: str = Field("", max_length=200)
    title_en: str = Field("", max_length=200)
    body_zh: str = Field("", max_length=50_000)
    body_en: str = Field("", max_length=50_000)
    category_id: int | None = None
    visibility: Literal["internal", "public"] = "internal"
    status: Literal["draft", "published"] = "draft"
    source_ticket_id: int | None = None


def _dt(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def article_out(a: Article, *, lang: str, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.pk,
        "title": a.title(lang),
        "title_zh": a.title_zh,
        "title_en": a.title_en,
        "category": {"id": a.category.pk, "name": a.category.label(lang)} if a.category else None,
        "visibility": a.visibility,
        "status": a.status,
        "source_ticket_id": a.source_ticket_id,
        "published_at": _dt(a.published_at),
        "updated_at": _dt(a.updated_at),
    }
    if full:
        out |= {"body": a.body(lang), "body_zh": a.body_zh, "body_en": a.body_en}
    return out


def _lang(requested: str) -> str:
    return requested or get_language() or "zh-hans"


@router.get("/knowledge", summary="Articles: search (both languages), category filter")
def article_list(request: ApiRequest, q: Query[ArticleQuery]) -> dict[str, Any]:
    permissions.require(request.auth, Action.VIEW)
    lang = _lang(q.lang)
    status = q.status if permissions.can(request.auth, Action.EDIT_ARTICLE) else ""
    qs = selectors.articles(user=request.auth, query=q.q, lang=lang, category=q.category_id,
                            status=status)  # fmt: skip
    return paginate(qs, limit=q.limit, offset=q.offset,
                    render=lambda a: article_out(a, lang=lang))  # fmt: skip


@router.get("/knowledge/{pk}")
def article_get(request: ApiRequest, pk: int, lang: Literal["", "zh-hans", "en"] = "") -> dict:
    permissions.require(request.auth, Action.VIEW)
    article = selectors.article_for(user=request.auth, pk=pk)
    if article is None:
        raise Http404
    return article_out(article, lang=_lang(lang), full=True)


@router.post("/knowledge", response={201: dict})
def article_create(request: ApiRequest, payload: ArticleIn) -> Status:
    from kehu.service import selectors as service_selectors

    permissions.require(request.auth, Action.EDIT_ARTICLE)
    category = None
    if payload.category_id is not None:
        category = Category.objects.filter(pk=payload.category_id).first()
        if category is None:
            raise _invalid("category_id", "No such category.")
    ticket = None
    if payload.source_ticket_id is not None:
        ticket = service_selectors.ticket_for(user=request.auth, pk=payload.source_ticket_id)
        if ticket is None:
            raise _invalid("source_ticket_id", "No such ticket.")
    data = payload.dict(exclude={"category_id", "source_ticket_id"})
    article = services.article_create(by=request.auth, category=category, source_ticket=ticket,
                                      **data)  # fmt: skip
    return Status(201, article_out(article, lang=_lang(""), full=True))


def _invalid(field: str, message: str) -> Exception:
    from django.core.exceptions import ValidationError

    return ValidationError({field: message})
