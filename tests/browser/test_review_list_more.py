"""A rep with more calls due than the review list shows at once presses "More" (htmx) on a
phone: the remaining cards are added below the first page, in due order, and "Done" on one
of them records the call and returns to the list. In Chinese at 390 px; screenshots in
KEHU_SCREENSHOTS when set."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kehu.core.models import Profile
from kehu.development import services
from kehu.development.models import Card
from kehu.development.views import REVIEW_ROWS
from tests.browser.conftest import login

SHOTS = os.environ.get("KEHU_SCREENSHOTS", "")
DAY = dt.date(2026, 6, 15)


@pytest.mark.django_db(transaction=True)
def test_more_adds_the_next_cards(page, org):
    Profile.objects.filter(user=org.alice).update(language="zh-hans")
    total = REVIEW_ROWS + 3
    for i in range(total):
        lead = services.lead_create(
            by=org.alice, owner=org.alice, name=f"客户{i:02d}", source="event"
        )
        Card.objects.filter(pk=lead.card.pk).update(next_call_on=DAY - dt.timedelta(days=total - i))
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(120_000)
    login(page, "alice")
    page.goto(reverse("development:reviews") + f"?on={DAY:%Y-%m-%d}")
    calls = page.locator("#due-call")
    assert calls.locator("tbody form").count() == REVIEW_ROWS
    assert str(total) in calls.locator("h2").inner_text()
    calls.locator("tr.more a").click()
    expect(calls.locator("tbody form")).to_have_count(total)
    assert calls.locator("tr.more").count() == 0
    names = calls.locator("tbody td[data-label] a").all_inner_texts()
    assert names == [f"客户{i:02d}" for i in range(total)]
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "review-list-more-zh-390.png"), full_page=True)

    last = Card.objects.get(lead__name=f"客户{total - 1:02d}")
    calls.locator("tbody tr").filter(has_text=last.number).locator("button").click()
    page.wait_for_url(f"**/leads/reviews/?scope=mine&on={DAY:%Y-%m-%d}")
    last.refresh_from_db()
    assert last.last_call_on is not None and last.next_call_on > DAY
