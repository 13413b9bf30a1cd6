"""The value report's charts render in a real browser from vendored ECharts, offline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from kehu.customers import services
from kehu.sales.models import Order
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ["#whale-chart", "#pareto-chart", "#grade-chart", "#cohort-chart"]


def _history(org):
    today = dt.date.today()
    for n in range(12):
        c = services.customer_create(by=org.alice, owner=org.alice, name=f"客户{n}")
        for k in range(n % 4 + 1):
            Order.objects.create(
                customer=c,
                number=f"SO-{n}-{k}",
                channel="web",
                ordered_on=today - dt.timedelta(days=30 * k + n),
                amount=Decimal(100 * (n + 1)),
                cost=Decimal(70 * (n + 1) if n % 5 else 130 * (n + 1)),
            )


def test_charts_render_offline(page, org):
    _history(org)
    call_command("analytics", "run")
    login(page, "mia")
    page.goto("/insights/")
    for selector in CHARTS:
        page.wait_for_selector(f"{selector} canvas")
        drawn = page.evaluate(
            "(sel) => { const el = document.querySelector(sel);"
            " return !!(window.echarts && echarts.getInstanceByDom(el)); }",
            selector,
        )
        assert drawn, selector
    assert page.evaluate("() => typeof echarts.version") == "string"
