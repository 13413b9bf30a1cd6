"""Development in the browser, in Chinese: a manager drags a deal to the next stage on the
pipeline board (HTML5 drag, htmx post), then reads the review of reps, the development
day, the mailing page and the touch tasks; every page fits a 390 px phone. Screenshots in
KEHU_SCREENSHOTS (when set) at 1280 and 390 px for a person to look at."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kehu.core.models import Profile
from kehu.development import greetings, services, touches
from kehu.development.models import Opportunity
from tests.browser.conftest import login

SHOTS = os.environ.get("KEHU_SCREENSHOTS", "")


def _shots(page, name: str) -> None:
    """The page at phone width (checked to fit) and at desktop width."""
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, (page.url, width)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-zh-390.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-zh-1280.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _seed(org):
    today = timezone.localdate()
    lead = services.lead_create(
        by=org.alice,
        owner=org.alice,
        name="周杰",
        phone="13977778888",
        source="web_form",
        email="zhou@example.com",
        city="杭州",
    )
    services.lead_qualify(lead=lead, by=org.alice, money="yes", authority="yes", need="yes")
    services.lead_convert(lead=lead, by=org.alice)
    deal = Opportunity.objects.get(lead=lead)
    deal.amount = Decimal("88000")
    deal.save()
    other = services.lead_create(
        by=org.bob, owner=org.bob, name="孙丽", source="event", company="丽华贸易"
    )
    services.touch_log(lead=other, by=org.bob, kind="call", subject="展会后回访")
    touches.task_create(by=org.bob, kind="visit", title="上门拜访孙丽", due_on=today, holder=other)
    touches.special_date_add(
        by=org.bob, holder=other, label="春节问候", calendar="festival", festival="spring_festival"
    )
    org.customer.birthday = dt.date(1980, today.month, today.day)
    org.customer.save()
    greetings.generate(on=today, by=None, days_ahead=0)
    return deal, other


@pytest.mark.django_db(transaction=True)
def test_drag_deal_and_manager_pages(page, org):
    deal, other = _seed(org)
    Profile.objects.filter(user=org.mia).update(language="zh-hans")
    page.set_default_timeout(120_000)  # the shared machine is often busy
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "mia")

    page.goto(reverse("development:pipeline"))
    page.wait_for_selector(f"#deal-{deal.pk}")
    page.drag_and_drop(f"#deal-{deal.pk}", "#stage-needs")
    page.wait_for_selector(f"#stage-needs #deal-{deal.pk}")
    deal.refresh_from_db()
    assert deal.stage == "needs"
    _shots(page, "pipeline")

    page.goto(reverse("development:rep_review"))
    assert "周杰" not in page.inner_text("#rep-review")
    assert "alice" in page.inner_text("#rep-review")
    _shots(page, "rep-review")
    page.click(f"#rep-{org.alice.pk} a")
    page.wait_for_selector("text=周杰")
    _shots(page, "rep-cards")

    page.goto(reverse("development:day"))
    assert "展会后回访" in page.content()
    _shots(page, "development-day")

    page.goto(reverse("development:mailing") + "?audience=leads")
    assert "孙丽" in page.inner_text("#mailing-form")
    _shots(page, "mailing")

    page.goto(reverse("development:touch_tasks") + "?scope=team")
    assert "上门拜访孙丽" in page.content() and "张伟" in page.content()
    _shots(page, "touch-tasks")

    page.goto(reverse("development:holder_touches", args=["lead", other.pk]))
    assert "春节问候" in page.content()
    _shots(page, "holder-touches")
