"""The at-risk page in a real browser, in Chinese: open it, filter by band, open a customer's
risk block from the list; at desktop width and on a 390 px phone (the table becomes cards and
nothing runs off the screen). The churn report's charts render from vendored ECharts, offline.
Screenshots go to KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kehu.core.models import Profile
from tests.browser.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("KEHU_SCREENSHOTS")


@pytest.fixture(autouse=True)
def warm(page):
    # The first request loads every app's views and the analytics libraries they import
    # (seconds, minutes on a loaded machine): loaded here once, not inside a page's timeout.
    import kehu.urls  # noqa: F401

    page.set_default_timeout(60_000)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_at_risk_filter_and_open_the_risk_block(page, org, width, label):
    made = risky(org)
    Profile.objects.filter(user=org.root).update(language="zh-hans")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "root")
    page.goto("/insights/at-risk/")
    assert page.locator("h1").inner_text() == "流失风险客户"
    rows = page.locator("#at-risk-table tbody tr")
    assert rows.count() == 3
    shot(page, f"at-risk-zh-{label}")

    page.select_option("select[name=band]", "medium")
    page.click("#at-risk-filters button.primary")
    page.wait_for_url("**band=medium**")
    assert rows.count() == 1 and "Bolt" in rows.first.inner_text()

    page.select_option("select[name=band]", "")
    page.select_option("select[name=reason]", "overdue")
    page.click("#at-risk-filters button.primary")
    page.wait_for_url("**reason=overdue**")
    assert rows.count() == 1
    assert "已 74 天未购买（通常 21 天）" in rows.first.inner_text()
    if width < 500:
        # Cards: no horizontal scrolling, each value labelled.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#at-risk-table thead").is_hidden()
    shot(page, f"at-risk-zh-{label}-filtered")

    page.click(f"#at-risk-table a[href='/customers/{made.zhang.pk}/#risk']")
    page.wait_for_url(f"**/customers/{made.zhang.pk}/**")
    block = page.locator("#risk")
    assert block.is_visible()
    assert page.locator("#risk-probability").inner_text() == "72%"
    assert "消费较去年下降 60 %" in page.locator("#risk-reasons").inner_text()
    assert page.locator("#risk-spark polyline").count() == 1
    block.scroll_into_view_if_needed()
    if SHOTS:
        block.screenshot(path=str(Path(SHOTS) / f"risk-block-zh-{label}.png"))


def test_churn_report_charts_render_offline(page, org):
    risky(org)
    login(page, "mia")
    page.goto("/insights/churn/")
    for selector in ("#churn-trend-chart", "#risk-distribution-chart", "#reasons-chart"):
        page.wait_for_selector(f"{selector} canvas")
        drawn = page.evaluate(
            "(sel) => !!(window.echarts && echarts.getInstanceByDom(document.querySelector(sel)))",
            selector,
        )
        assert drawn, selector
    shot(page, "churn-report")
