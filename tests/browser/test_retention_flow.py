"""Retention in a real browser, in Chinese: a rep opens Today and completes a retention call
(the customer left, with the reason) in two clicks; a manager sees the team's overdue list;
the results page shows the lift with its interval and the chart. Desktop and 390 px phone.
Screenshots go to KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kehu.core.models import Profile
from kehu.customers.models import Channel, Customer
from kehu.retention import services
from kehu.retention.models import ControlAssignment, ExitReason, Task
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


def _tasks(org):
    v = services.current_policy()
    books = {k: {**b, "control_share": 0.0} for k, b in v.playbooks.items()}
    services.policy_save(playbooks=books, cells=v.cells, by=org.root)
    Customer.objects.filter(pk=org.customer.pk).update(
        tier="key", churn_band="high", value_at_risk=Decimal(8800)
    )
    services.generate_tasks(
        as_of=timezone.localdate() - dt.timedelta(days=5), by=org.root, use_triggers=False
    )
    Profile.objects.update(language="zh-hans")
    return Task.objects.get()


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_rep_completes_a_retention_call_with_a_reason(page, org, width, label):
    task = _tasks(org)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "alice")
    page.goto("/today/")
    assert page.locator("h1").inner_text() in ("今天", "今日待办")  # another catalogue says 今天
    item = page.locator(".due-item").first
    assert "张伟" in item.inner_text() and "8800" in item.inner_text().replace(",", "")
    shot(page, f"today-zh-{label}")
    item.locator("summary").click()  # click 1: open
    item.locator("select[name=reason]").select_option("competitor")
    item.locator("input[name=reason_text]").fill("对手更便宜")
    shot(page, f"today-open-zh-{label}")
    item.locator("button[value=left]").click()  # click 2: the outcome
    page.wait_for_selector("#nothing-due")
    task.refresh_from_db()
    assert (task.status, task.outcome) == ("done", "left")
    assert ExitReason.objects.get().reason == "competitor"
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_manager_sees_the_overdue_list(page, org):
    _tasks(org)
    login(page, "mia")
    page.goto("/today/?scope=team")
    assert "张伟" in page.locator("#due-list").inner_text()
    assert "alice" in page.locator("#due-list").inner_text()
    shot(page, "today-team-zh")


def test_results_page_shows_lift_with_its_interval(page, org):
    services.current_policy()
    Profile.objects.update(language="zh-hans")
    made = []
    for i in range(40):
        c = Customer.objects.create(name=f"客户{i}", owner=org.alice, team=org.north, tier="major")
        ControlAssignment.objects.create(
            group="playbook:try_hard", customer=c, stratum="major|high",
            is_control=i % 2 == 0, share=0.5, seed="t", assigned_on=dt.date(2026, 10, 1),
        )  # fmt: skip
        made.append(c)
        if i % 2 == 0 and i % 4 == 0 or i % 2 == 1 and i % 10 == 1:
            ExitReason.objects.create(customer=c, reason="price", left_on=dt.date(2026, 11, 1))
        Order.objects.create(
            customer=c, number=f"b{i}", ordered_on=dt.date(2026, 11, 2), channel=Channel.STORE,
            amount=Decimal(100 + 10 * (i % 2)),
        )  # fmt: skip
    login(page, "mia")
    page.goto("/retention/results/playbook:try_hard/")
    assert page.locator("#lift-table tr[data-metric=retained] td.ci").inner_text().startswith("[")
    assert page.locator("#plain-statement").is_visible()
    page.wait_for_function("document.querySelector('#lift-chart canvas') !== null")
    shot(page, "results-zh")
