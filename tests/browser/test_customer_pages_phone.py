"""The customer pages in a real browser at a 390 px phone and a desktop width, in Chinese
(issue #12): nothing runs off the screen, tables become cards, the list's filters fold away on
the phone, the 360 page's tabs show one panel at a time and the address remembers it, and
"more" pages back through the history. Screenshots go to test-results/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from kehu.core.models import Profile
from kehu.customers import services
from kehu.customers.models import Customer, Interaction
from kehu.sales.models import Invoice, Order, Payment
from tests.browser.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def _history(org):
    c = org.customer
    Customer.objects.filter(pk=c.pk).update(
        grade="A",
        tier="key",
        lifecycle_status="active",
        churn_band="medium",
        churn_probability=0.42,
        clv=Decimal("128000.5"),
    )
    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(
            customer=c,
            channel="phone" if i % 2 else "field",
            subject=f"回访 {i}",
            user=org.alice,
            occurred_at=now - dt.timedelta(days=3 * i + 1),
        )
        for i in range(40)
    )
    Interaction.objects.create(
        customer=c,
        channel="phone",
        subject="确认报价",
        user=org.alice,
        next_contact_on=timezone.localdate() + dt.timedelta(days=2),
        next_contact_purpose="送样品",
    )
    for i in range(25):
        day = dt.date(2026, 6, 1) - dt.timedelta(days=9 * i)
        o = Order.objects.create(
            customer=c,
            number=f"SO-{i:03d}",
            ordered_on=day,
            channel="store",
            amount=Decimal("12345.60"),
            cost=Decimal("8000"),
        )
        inv = Invoice.objects.create(
            customer=c,
            order=o,
            number=f"INV-{i:03d}",
            issued_on=day,
            due_on=day,
            amount=o.amount,
        )
        Payment.objects.create(invoice=inv, customer=c, paid_on=day, amount=o.amount)
    for i in range(6):
        services.customer_create(
            by=org.alice,
            owner=org.alice,
            name=f"上海启明建材有限公司{i}",
            city="上海",
            phone=f"+86139001390{i:02d}",
        )


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, scroll


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_customer_pages_in_chinese(page, org, size):
    width, height = WIDTHS[size]
    _history(org)
    Profile.objects.filter(user=org.mia).update(language="zh-hans")
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(60_000)  # the shared machine is slow at times
    login(page, "mia")
    SHOTS.mkdir(exist_ok=True)

    page.goto("/customers/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    filters = page.locator("#list-filters")
    assert (filters.get_attribute("open") is None) == (size == "phone")
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"customers-list-{size}-zh.png"), full_page=True)

    page.goto(f"/customers/{org.customer.pk}/")
    health = page.locator("#health")
    assert "送样品" in health.inner_text() and "42%" in health.inner_text()
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"customer-360-{size}-zh.png"), full_page=False)
    # The timeline pages back: 30 first, then the rest with "更多".
    entries = page.locator("#timeline-entries > li:not(.more)")
    first = entries.count()
    page.locator("#timeline-more a").click()
    entries.nth(first).wait_for()

    # Tabs: one panel at a time; the address remembers the open one.
    page.locator("#tab-orders").click()
    assert page.locator("#orders").is_visible() and not page.locator("#timeline-block").is_visible()
    assert "tab=orders" in page.url
    assert page.locator("#orders-table tbody tr:not(.more)").count() == 20
    page.locator("#orders-table tr.more a").click()
    page.locator("#orders-table tbody tr").nth(24).wait_for()
    assert page.locator("#orders-table tr.more").count() == 0
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"customer-360-orders-{size}-zh.png"), full_page=True)
    page.reload()
    assert page.locator("#orders").is_visible() and not page.locator("#timeline-block").is_visible()

    page.locator("#history-tab").click()
    page.locator("#audit-history").wait_for()
    assert "tab=history" in page.url
    page.screenshot(path=str(SHOTS / f"customer-history-{size}-zh.png"), full_page=True)

    page.goto(f"/customers/{org.customer.pk}/history/")
    assert (
        page.locator("header.topbar").count() == 1 and page.locator("#audit-history").count() == 1
    )

    page.goto(f"/customers/{org.customer.pk}/reassign/")
    page.fill("#owner-search", "bo")
    page.locator("#owner-picker button").first.wait_for()
    page.locator("#owner-picker button").first.click()
    assert page.locator("#id_owner").input_value() == str(org.bob.pk)
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"customer-reassign-{size}-zh.png"), full_page=True)

    page.goto("/customers/pool/")
    _fits(page, width)
    page.screenshot(path=str(SHOTS / f"customer-pool-{size}-zh.png"), full_page=True)
