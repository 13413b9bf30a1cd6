"""Lifecycle status and RFM segment never contradict each other where both are shown (issue
#12): the segment is shown as a buying pattern (frequency and recency against the other
customers) in words that are no status words, in both languages; on the demo, every
customer's value card shows their status next to a pattern that names no other status."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from kehu.customers.buying_pattern import PATTERNS, pattern
from kehu.customers.models import Customer
from kehu.insights.models import RFM_SEGMENTS, CustomerScore
from kehu.insights.services import analytics_run

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("demo")]

AS_OF = dt.date(2025, 6, 30)
LANGUAGES = ("en", "zh-hans")


def status_words(language: str) -> set[str]:
    """The lifecycle labels and the classic segment names ("Lost", "Champions") in a
    language: none of them may appear in a pattern."""
    with translation.override(language):
        words = {str(label) for _v, label in Customer.Lifecycle.choices}
        words |= {str(label) for label in RFM_SEGMENTS.values()}
    return words


@pytest.mark.parametrize("language", LANGUAGES)
def test_patterns_use_no_status_word(language):
    words = status_words(language)
    with translation.override(language):
        shown = [str(p) for p in PATTERNS.values()]
        # Translated, and every segment has its own pattern.
        assert len(set(shown)) == len(RFM_SEGMENTS) == len(PATTERNS)
        if language != "en":
            assert all(re.search(r"[\u4e00-\u9fff]", s) for s in shown)
        for text in shown:
            assert not [w for w in words if w.lower() in text.lower()], text
        # The change list carries the segment's label: it is shown as the pattern too.
        assert pattern(RFM_SEGMENTS["lost"]) == str(PATTERNS["lost"])


@pytest.fixture(scope="module")
def demo_scores(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "demo", customers=300, seed=7, as_of=AS_OF, stdout=StringIO(), stderr=StringIO()
        )
        run = analytics_run(as_of=AS_OF)
        yield list(
            CustomerScore.objects.filter(run=run)
            .exclude(lifecycle_status="")
            .exclude(rfm_segment="")
            .select_related("customer")
        )
        transaction.set_rollback(True)


def badges(page: str) -> str:
    match = re.search(r'<p id="value-badges">(.*?)</p>', page, re.S)
    assert match, "value card missing"
    return re.sub(r"<[^>]+>", " ", match.group(1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_contradictory_pair_on_the_demo(demo_scores, client, language):
    from django.contrib.auth import get_user_model

    assert len(demo_scores) > 50
    root = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(root)
    client.cookies["django_language"] = language
    with translation.override(language):
        words = status_words(language)
        for score in demo_scores:
            status = score.get_lifecycle_status_display()
            others = {w for w in words if w != status and w.lower() not in status.lower()}
            shown = pattern(score.rfm_segment)
            assert not [w for w in others if w.lower() in shown.lower()], (status, shown)
    # The pages themselves: one customer of each status.
    seen: dict[str, CustomerScore] = {}
    for score in demo_scores:
        seen.setdefault(score.lifecycle_status, score)
    for score in seen.values():
        page = client.get(f"/customers/{score.customer_id}/").content.decode()
        text = badges(page)
        with translation.override(language):
            assert str(score.get_lifecycle_status_display()) in text
            assert pattern(score.rfm_segment) in text
