"""The balanced report in a real browser, in Chinese, at 1280 and 390 px: six months of
tickets, calls, CSAT answers and churn scores; the key tier's targets drawn and judged; the
charts render (ECharts canvases) and a phone does not scroll sideways. Screenshots go to
KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kehu.core.models import Profile
from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.service import measures, services
from kehu.service.models import Call, TierTarget
from kehu.surveys.models import Response, Survey
from tests.browser.conftest import login
from tests.insights.churn_helpers import make_run, score

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


def six_months(org) -> None:
    """Each of the last six months: tickets (some answered once, some twice), calls, CSAT
    answers and an analytics run, a little better every month."""
    tz = timezone.get_current_timezone()
    Customer.objects.filter(pk=org.customer.pk).update(tier="key")
    org.customer.refresh_from_db()
    others = [customer_services.customer_create(by=org.alice, owner=org.alice, name=f"客户{i}",
                                                tier="key") for i in range(9)]  # fmt: skip
    survey = Survey.objects.create(kind="csat_ticket", name_en="CSAT", name_zh="满意度")
    period = measures.last_months(6)
    for i, first in enumerate(period.month_starts):
        day = dt.datetime.combine(first + dt.timedelta(days=2), dt.time(10), tz)
        if day > timezone.now():
            day = timezone.now() - dt.timedelta(hours=3)
        for n in range(4):
            t = services.ticket_create(customer=org.customer, by=org.sam, subject=f"问题{n}",
                                       assignee=org.sam, now=day)  # fmt: skip
            services.ticket_reply(
                ticket=t, by=org.sam, body="您好", now=day + dt.timedelta(minutes=20)
            )
            if n >= i // 2 + 2:  # fewer second replies as the months go by
                services.ticket_reply(
                    ticket=t, by=org.sam, body="补充", now=day + dt.timedelta(minutes=40)
                )
            services.ticket_resolve(ticket=t, by=org.sam, resolution="已解决",
                                    now=day + dt.timedelta(hours=1))  # fmt: skip
        for n in range(3):
            Call.objects.create(call_id=f"c{i}-{n}", caller="1", customer=org.customer,
                                agent=org.sam, started_at=day, duration_seconds=420 - 30 * i + 60 * n)  # fmt: skip
        for n, s in enumerate((5, 5, 4, 4, 3 if i < 3 else 5, 2 if i < 2 else 4)):
            Response.objects.create(survey=survey, kind="csat_ticket", customer=org.customer,
                                    score=s, answered_at=day + dt.timedelta(hours=2, minutes=n),
                                    source="demo", agent=org.sam, tier="key")  # fmt: skip
        run = make_run(min(first + dt.timedelta(days=20), timezone.localdate()))
        for k, c in enumerate([org.customer, *others]):
            score(
                run, c, p=0.2, band="low", value=1, churn_type="complete" if k < 2 - i // 3 else ""
            )
    TierTarget.objects.create(tier="key", csat_pct=Decimal(80), nps=Decimal(30),
                              retention_pct=Decimal(85), fcr_pct=Decimal(60),
                              handling_minutes=Decimal(7), sla_pct=Decimal(95))  # fmt: skip
    Profile.objects.update(language="zh-hans")


@pytest.mark.parametrize("width", [1280, 390])
def test_manager_reads_the_balanced_report(page, org, width):
    six_months(org)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "mia")
    page.goto("/insights/balanced/?tier=key&months=6")
    assert "平衡报表" in page.locator("h1").inner_text()
    page.wait_for_selector("#balanced-customers-chart canvas")
    page.wait_for_selector("#balanced-service-chart canvas")
    rows = page.locator("#balanced-table tbody tr")
    assert rows.count() == 7  # six months and the target row
    assert page.locator("#balanced-table td.missed").count() > 0
    assert page.locator("#balanced-table td.met").count() > 0
    page.wait_for_timeout(600)  # the charts' first animation
    shot(page, f"balanced-report-zh-{width}")
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_adds_a_holiday_to_a_year_without_data(page, org, width):
    from kehu.service import holiday_table
    from kehu.service.models import CalendarDay

    Profile.objects.update(language="zh-hans")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "root")
    page.goto("/service/calendar/?year=2027")
    assert "2027 年没有节假日数据" in page.locator("#origin-none").inner_text()
    page.fill("#calendar-edit input[name=date]", "2027-02-08")
    page.fill("#calendar-edit input[name=name_zh]", "春节")
    page.fill("#calendar-edit input[name=name_en]", "Spring Festival")
    page.click("#calendar-edit button.primary")
    page.wait_for_selector("#origin-table")
    assert page.locator('tr[data-date="2027-02-08"]').count() == 1
    assert CalendarDay.objects.get(date="2027-02-08").name_zh == "春节"
    holiday_table.forget()
    shot(page, f"holiday-calendar-zh-{width}")
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_agent_reads_their_measures_on_a_phone(page, org):
    six_months(org)
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, "sam")
    page.goto("/service/measures/?months=6")
    assert "服务指标" in page.locator("h1").inner_text()
    assert page.locator("#scope-own").count() == 1
    assert page.locator("#measures-table tbody tr").count() == 7  # six months and the total
    shot(page, "service-measures-zh-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
