"""The demo's knowledge base: articles in every category, both languages, public and internal,
published and draft, and some drafted from the demo's resolved complaints; all readable."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from kehu.knowledge.models import Article, Category
from kehu.knowledge.selectors import public_articles

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", customers=200, seed=11, as_of=dt.date(2025, 6, 30),
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
        yield
        transaction.set_rollback(True)


def test_articles_in_every_category_and_both_languages(demo):
    assert 20 <= Article.objects.count() <= 30
    for category in Category.objects.all():
        assert category.articles.exists(), category
    assert Article.objects.exclude(title_zh="").exclude(title_en="").count() >= 15
    assert (
        Article.objects.filter(title_en="").exists()
        and Article.objects.filter(title_zh="").exists()
    )
    assert set(Article.objects.values_list("visibility", flat=True)) == {"internal", "public"}
    assert set(Article.objects.values_list("status", flat=True)) == {"draft", "published"}


def test_some_come_from_resolved_complaints(demo):
    made = Article.objects.filter(source_ticket__isnull=False).select_related("source_ticket")
    assert made.count() >= 2
    for article in made:
        assert article.source_ticket.status in ("resolved", "closed")
        assert article.source_ticket.root_cause in article.body_zh


def test_the_portal_finds_them(demo):
    assert [a.title_zh for a in public_articles(query="退货")][0] == "如何申请退货？"
    assert public_articles(query="invoice", lang="en")[0].title_en == "Downloading an e-invoice"
