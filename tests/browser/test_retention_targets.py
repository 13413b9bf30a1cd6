"""Retention targets in a real browser, in Chinese: a manager sets a target for a rep on the
targets page and sees it beside the actual, with the trend chart drawn; a rep sees their own
line. Desktop and 390 px phone; screenshots go to KEHU_SCREENSHOTS (when set)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kehu.core.models import Profile
from kehu.customers.models import Channel
from kehu.retention.models import Target, Task
from kehu.sales.models import Order
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("KEHU_SCREENSHOTS")


@pytest.fixture(autouse=True)
def warm(page):
    import kehu.urls  # noqa: F401

    page.set_default_timeout(60_000)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _month_of_work(org):
    today = timezone.localdate()
    Order.objects.create(
        customer=org.customer, number="o-1", ordered_on=today - dt.timedelta(days=90),
        channel=Channel.STORE, amount=Decimal(500),
    )  # fmt: skip
    Task.objects.create(
        customer=org.customer, kind=Task.Kind.RETENTION, title="回访", assigned_to=org.alice,
        due_on=today.replace(day=1), priority=800,
    )  # fmt: skip
    Profile.objects.update(language="zh-hans")


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_manager_sets_a_target_and_sees_it_beside_the_actual(page, org, width, label):
    _month_of_work(org)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "mia")
    page.goto("/retention/targets/")
    assert page.locator("h1").inner_text() == "挽留目标"
    form = page.locator("#target-form")
    form.locator("select[name=line]").select_option(f"user:{org.alice.pk}")
    form.locator("select[name=metric]").select_option("retention_rate")
    form.locator("input[name=value]").fill("95")
    form.locator("button").click()
    page.wait_for_selector(".messages, .message, [role=status]", state="attached")
    target = Target.objects.get()
    assert (target.user, target.value, target.set_by) == (org.alice, Decimal(95), org.mia)
    cell = page.locator(f'tr[data-line="user:{org.alice.pk}"] td[data-metric="retention_rate"]')
    assert cell.inner_text().replace(" ", "") == "100/95"
    assert "met" in (cell.get_attribute("class") or "")
    page.goto(f"/retention/targets/?line=user:{org.alice.pk}")
    page.wait_for_function("document.querySelector('#trend-chart canvas') !== null")
    page.wait_for_timeout(1500)  # the chart's entry animation, for the screenshot
    shot(page, f"targets-zh-{label}")
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_rep_sees_their_own_line_only(page, org):
    _month_of_work(org)
    login(page, "alice")
    page.goto("/today/")
    page.locator("#targets-link").click()
    rows = page.locator("#target-table tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-line") == f"user:{org.alice.pk}"
    assert page.locator("#target-form").count() == 0
