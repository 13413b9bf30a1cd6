"""Knowledge-base pages: the list with its category filter and search, an article, writing
and editing one, publishing, a draft from a resolved ticket, and the small search an agent
uses to link an article in a ticket reply (htmx). Thin: reads through the selectors, writes
through the services, permissions through ``can``/``require`` (403 for a role that never
may; 404 for an article the reader may not see).

The list and the article pages are open to visitors without an account too: they see the
published public articles only (the same ones the customer portal shows)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.knowledge import selectors, services
from kehu.knowledge.forms import ArticleForm
from kehu.knowledge.models import Article
from kehu.service import selectors as service_selectors

PAGE_SIZE = 50


def _lang() -> str:
    return get_language() or "zh-hans"


def _staff(request: HttpRequest) -> bool:
    return permissions.can(request.user, Action.VIEW)


def _article(request: HttpRequest, pk: int) -> Article:
    if _staff(request):
        article = selectors.article_for(user=request.user, pk=pk)
    else:
        article = selectors.public_article(pk=pk)
    if article is None:
        raise Http404
    return article


def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: selectors.MAX_QUERY]
    category = int_param(request, "category")
    lang = _lang()
    may_edit = permissions.can(request.user, Action.EDIT_ARTICLE)
    status = request.GET.get("status", "") if may_edit else ""
    if _staff(request):
        found = list(
            selectors.articles(
                user=request.user, query=query, lang=lang, category=category, status=status
            )[:PAGE_SIZE]  # fmt: skip
        )
    else:
        found = selectors.public_articles(query=query, lang=lang, category=category,
                                          limit=PAGE_SIZE)  # fmt: skip
    rows = [{"article": a, "title": a.title(lang), "excerpt": a.body(lang)[:160],
             "category": a.category.label(lang) if a.category else ""} for a in found]  # fmt: skip
    context = {
        "rows": rows,
        "query": query,
        "category": category,
        "status": status,
        "statuses": Article.Status.choices,
        "categories": [(c.pk, c.label(lang)) for c in selectors.categories()],
        "may_edit": may_edit,
    }
    return render(request, "knowledge/list.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    lang = _lang()
    source = None
    if article.source_ticket_id and _staff(request):
        source = service_selectors.ticket_for(user=request.user, pk=article.source_ticket_id)
    context = {
        "article": article,
        "title": article.title(lang),
        "body": article.body(lang),
        "category": article.category.label(lang) if article.category else "",
        "other_language": _other_language(article, lang),
        "may_edit": permissions.can(request.user, Action.EDIT_ARTICLE, article),
        "source": source,
    }
    return render(request, "knowledge/detail.html", context)


def _other_language(article: Article, lang: str) -> dict[str, str] | None:
    """The same article in the other language, when it has one (shown below the first)."""
    other = "en" if lang.startswith("zh") else "zh-hans"
    if not article.has_language(lang) or not article.has_language(other):
        return None
    return {"title": article.title(other), "body": article.body(other)}


def _editor(request: HttpRequest) -> None:
    permissions.require(request.user, Action.EDIT_ARTICLE)


def _form_data(form: ArticleForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.EDITABLE}


@login_required
def new(request: HttpRequest) -> HttpResponse:
    _editor(request)
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = services.article_create(by=request.user, **_form_data(form))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Article saved."))
                return redirect("knowledge:detail", pk=article.pk)
        return render(request, "knowledge/edit.html", {"form": form}, status=400)
    return render(request, "knowledge/edit.html", {"form": ArticleForm()})


def _add_errors(form: ArticleForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    article = _article(request, pk)
    permissions.require(request.user, Action.EDIT_ARTICLE, article)
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                services.article_update(article=article, by=request.user, **_form_data(form))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Article saved."))
                return redirect("knowledge:detail", pk=article.pk)
        context = {"form": form, "article": article}
        return render(request, "knowledge/edit.html", context, status=400)
    initial = {name: getattr(article, name) for name in services.EDITABLE}
    form = ArticleForm(initial=initial)
    return render(request, "knowledge/edit.html", {"form": form, "article": article})


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    article = _article(request, pk)
    permissions.require(request.user, Action.EDIT_ARTICLE, article)
    services.article_publish(article=article, by=request.user)
    messages.success(request, _("Article published."))
    return redirect("knowledge:detail", pk=article.pk)


@login_required
@require_POST
def from_ticket(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    """One step from a resolved ticket to a draft article, opened for editing."""
    _editor(request)
    ticket = service_selectors.ticket_for(user=request.user, pk=ticket_pk)
    if ticket is None:
        raise Http404
    try:
        article = services.article_from_ticket(ticket=ticket, by=request.user)
    except ValidationError as exc:
        context = {"error": " ".join(exc.messages), "ticket": ticket}
        return render(request, "knowledge/refused.html", context, status=400)
    messages.success(request, _("Draft article created from the ticket: check it and publish."))
    return redirect("knowledge:edit", pk=article.pk)


@login_required
def link_search(request: HttpRequest) -> HttpResponse:
    """The results of the reply form's article search (htmx): each with a button that puts
    the article's title and address into the reply."""
    permissions.require(request.user, Action.CHANGE)
    query = request.GET.get("kb_q", "")[: selectors.MAX_QUERY]
    lang = _lang()
    found = selectors.linkable(user=request.user, query=query, lang=lang) if query.strip() else []
    rows = [
        {
            "article": a,
            "title": a.title(lang),
            "link": f"{a.title(lang)}: {request.build_absolute_uri(a.get_absolute_url())}",
        }
        for a in found
    ]
    return render(request, "knowledge/_link_results.html", {"rows": rows, "query": query})
