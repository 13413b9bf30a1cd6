"""The outbound call list and the proactive suggestions in a real browser, in Chinese: a rep
sees the key customer at risk with the computer's reasons, logs the call in one click and the
row leaves the list; a service agent accepts a suggestion as a call and dismisses another
with a reason. Desktop and 390 px phone (no sideways scrolling). Screenshots go to
KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kehu.core.models import Profile
from kehu.customers.models import Customer, Interaction
from kehu.retention.models import Task
from kehu.service.models import ProactiveSuggestion
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


def _data(org) -> tuple[ProactiveSuggestion, ProactiveSuggestion]:
    Customer.objects.filter(pk=org.customer.pk).update(
        tier="key", churn_band="high", value_at_risk=Decimal(8800)
    )
    other = Customer.objects.create(name="李娜", owner=org.alice, team=org.north, tier="major")
    today = timezone.localdate()
    due = ProactiveSuggestion.objects.create(
        customer=org.customer, kind="service_due", key="1:x", due_on=today, priority=8800,
        assigned_to=org.alice, params={"product": "PP棉滤芯", "bought": "2025-01-02",
                                       "days": 180, "due": str(today)},
    )  # fmt: skip
    failed = ProactiveSuggestion.objects.create(
        customer=other, kind="payment_failed", key="payment:9", due_on=today, priority=880,
        assigned_to=org.alice, params={"amount": "880.00", "failed": str(today),
                                       "reason": "余额不足"},
    )  # fmt: skip
    Profile.objects.update(language="zh-hans")
    return due, failed


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_rep_logs_a_call_from_the_list(page, org, width, label):
    _data(org)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "alice")
    page.goto("/service/calls/out/")
    assert page.locator("h1").inner_text() == "待拨电话"
    rows = page.locator(".call-row")
    assert rows.count() == 2
    first = rows.first
    assert "张伟" in first.inner_text() and "流失风险高" in first.inner_text()
    assert "PP棉滤芯" in first.inner_text()
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"call-list-zh-{label}")
    first.locator("select[name=outcome]").select_option("follow_up")
    first.locator("input[name=note]").fill("客户说下周再谈")
    first.locator("button").click()  # one click logs it
    page.wait_for_selector(".messages, .message, [role=status], .call-row")
    assert page.locator(f'.call-row[data-customer="{org.customer.pk}"]').count() == 0
    i = Interaction.objects.get(customer=org.customer)
    assert (i.outcome, i.direction, i.notes) == ("follow_up", "out", "客户说下周再谈")


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_agent_accepts_and_dismisses_suggestions(page, org, width, label):
    due, failed = _data(org)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sam")
    page.goto("/service/proactive/")
    assert page.locator("h1").inner_text() == "主动服务建议"
    text = page.locator("#suggestions").inner_text()
    assert "保养到期" in text and "付款失败" in text and "余额不足" in text
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"proactive-zh-{label}")
    page.locator(f'[data-suggestion="{due.pk}"] button[value=call]').click()
    page.wait_for_selector(f'[data-suggestion="{failed.pk}"]')
    assert page.locator(f'[data-suggestion="{due.pk}"]').count() == 0
    row = page.locator(f'[data-suggestion="{failed.pk}"]')
    row.locator("input[name=reason]").fill("客户已于昨天补缴")
    row.locator("button", has_text="忽略").click()
    page.wait_for_selector("text=没有待处理的建议。")
    due.refresh_from_db()
    failed.refresh_from_db()
    assert due.status == "accepted" and Task.objects.get(pk=due.task_id).assigned_to == org.alice
    assert (failed.status, failed.dismiss_reason) == ("dismissed", "客户已于昨天补缴")
