"""Article writes: create, update, publish, and a draft from a resolved ticket (E4: the
lesson a ticket taught, shared in one step). Keyword-only, atomic, with an explicit actor
``by``; the article model is audited (kehu.core.audit), so each write leaves its event with
the fields before and after. The pages and the API check who may (``edit_article``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.knowledge.models import Article, Category
from kehu.knowledge.selectors import CJK
from kehu.service.models import Ticket

EDITABLE = ("title_zh", "title_en", "body_zh", "body_en", "category", "visibility", "status")


def _check(article: Article) -> None:
    if not article.title_zh.strip() and not article.title_en.strip():
        message = _("Give the article a title in Chinese or in English.")
        raise ValidationError({"title_zh": message, "title_en": message})
    article.full_clean()


@transaction.atomic
@audit.with_actor
def article_create(
    *,
    by: Any,
    title_zh: str = "",
    title_en: str = "",
    body_zh: str = "",
    body_en: str = "",
    category: Category | None = None,
    visibility: str = Article.Visibility.INTERNAL,
    status: str = Article.Status.DRAFT,
    source_ticket: Ticket | None = None,
) -> Article:
    """A new article; at least one of the titles is required (ValidationError naming both)."""
    article = Article(
        title_zh=title_zh.strip(),
        title_en=title_en.strip(),
        body_zh=body_zh,
        body_en=body_en,
        category=category,
        visibility=visibility,
        status=status,
        author=by if getattr(by, "is_authenticated", False) else None,
        source_ticket=source_ticket,
        published_at=timezone.now() if status == Article.Status.PUBLISHED else None,
    )
    _check(article)
    article.save()
    return article


@transaction.atomic
@audit.with_actor
def article_update(*, article: Article, by: Any, **fields: Any) -> Article:
    """Change the given fields (of ``EDITABLE``); nothing is saved when the result is invalid."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    for name, value in fields.items():
        setattr(article, name, value.strip() if name.startswith("title") else value)
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    _check(article)
    article.save()
    return article


def article_publish(*, article: Article, by: Any) -> Article:
    return article_update(article=article, by=by, status=Article.Status.PUBLISHED)


# The sections of an article drafted from a ticket, in each language.
SECTIONS = {
    "zh": (("nature", "问题现象"), ("root_cause", "原因"), ("corrective_action", "处理措施"),
           ("resolution", "解决方法")),
    "en": (("nature", "Problem"), ("root_cause", "Cause"), ("corrective_action", "What we did"),
           ("resolution", "Solution")),
}  # fmt: skip


def _category_for(ticket: Ticket) -> Category | None:
    name = ticket.category.strip()
    if not name:
        return None
    return (
        Category.objects.filter(name_zh=name).first()
        or Category.objects.filter(name_en__iexact=name).first()
    )


@transaction.atomic
@audit.with_actor
def article_from_ticket(*, ticket: Ticket, by: Any) -> Article:
    """A draft (internal until an editor makes it public: tickets hold customers' words)
    prefilled from a resolved or closed ticket: its subject as the title, its description or
    nature of the problem, root cause, corrective action and resolution as the text, in the
    ticket's language (Chinese when the subject has Chinese characters), linked to it."""
    if ticket.status not in Ticket.DONE:
        raise ValidationError(
            _("Only a resolved or closed ticket can become an article (this one is %(status)s).")
            % {"status": ticket.get_status_display()}
        )
    lang = "zh" if CJK.search(ticket.subject) else "en"
    values = {
        "nature": ticket.nature or ticket.description,
        "root_cause": ticket.root_cause,
        "corrective_action": ticket.corrective_action,
        "resolution": ticket.resolution,
    }
    body = "\n\n".join(
        f"{label}\n{values[key].strip()}" for key, label in SECTIONS[lang] if values[key].strip()
    )
    text = {f"title_{lang}": ticket.subject[:200], f"body_{lang}": body}
    return article_create(by=by, category=_category_for(ticket), source_ticket=ticket, **text)
