"""The knowledge app's answers to ``kehu.core.permissions.can`` (registered from
``KnowledgeConfig.ready``).

Articles belong to no customer, so the role alone decides:
- service agents, managers and administrators write them (``edit_article``) and see drafts;
- sales reps and analysts read every published article, internal ones included;
- channel-partner users read only published public articles (what a customer may read);
- anonymous readers get the public ones through ``selectors.public_articles`` (no user).
Any other action on an article is refused.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.knowledge.models import Article

PUBLISHED = Article.Status.PUBLISHED
PUBLIC = Article.Visibility.PUBLIC


def article_rule(user: Any, action: Action, article: Article) -> bool:
    if action == Action.EDIT_ARTICLE:
        return permissions.role_may(user, Action.EDIT_ARTICLE)
    if action != Action.VIEW:
        return False
    if permissions.role_may(user, Action.EDIT_ARTICLE):
        return True
    if article.status != PUBLISHED:
        return False
    return article.visibility == PUBLIC or permissions.role_of(user) != Role.PARTNER


def articles_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    if action == Action.EDIT_ARTICLE:
        return qs
    if action != Action.VIEW:
        return qs.none()
    if permissions.role_may(user, Action.EDIT_ARTICLE):
        return qs
    qs = qs.filter(status=PUBLISHED)
    if permissions.role_of(user) == Role.PARTNER:
        qs = qs.filter(visibility=PUBLIC)
    return qs


def register() -> None:
    permissions.register(Article, obj=article_rule, queryset=articles_allowed)
