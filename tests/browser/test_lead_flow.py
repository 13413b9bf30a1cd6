"""A lead arrives through the public web form, the rep it is assigned to qualifies it (MAN)
and converts it into a customer (no match, so a new one), and the card's next call shows
on the rep's due list for its day. Run in Chinese at phone width, screenshots in
KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from kehu.core.models import Profile
from kehu.customers.models import Customer
from kehu.development.models import Lead
from tests.browser.conftest import login

SHOTS = os.environ.get("KEHU_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, (page.url, width)


@pytest.mark.django_db(transaction=True)
def test_web_form_to_customer_to_due_list(page, org, settings):
    settings.KEHU_WEB_LEAD_OWNER = "alice"
    Profile.objects.filter(user=org.alice).update(language="zh-hans")
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(120_000)  # the shared machine is often busy

    response = page.goto("/forms/lead/", wait_until="domcontentloaded")
    assert response is not None and response.status == 200, response and response.text()[:2000]
    _fits(page)
    page.fill("#id_name", "周杰")
    page.fill("#id_phone", "13977778888")
    page.fill("#id_company", "周氏建材")
    page.fill("#id_message", "想了解批发价格")
    _shot(page, "web-form-390")
    page.click("#web-lead-form button[type=submit]")
    page.wait_for_selector("#thanks")
    lead = Lead.objects.get(name="周杰")
    assert lead.source == "web_form" and lead.owner == org.alice

    login(page, "alice")
    page.goto(reverse("development:leads"))
    _fits(page)
    _shot(page, "lead-list-zh-390")
    page.click("text=周杰")
    page.wait_for_selector("#man-form")
    for name in ("money", "authority", "need"):
        page.select_option(f"#id_{name}", "yes")
    page.fill("#id_need_note", "新店开业")
    page.click("#man-form button[type=submit]")
    page.wait_for_selector("#qualified")
    _fits(page)
    _shot(page, "lead-detail-zh-390")

    page.click("#convert")
    page.wait_for_selector("#convert-new")
    page.click("#convert-new button[type=submit]")
    page.wait_for_url("**/customers/*/")
    customer = Customer.objects.get(name="周杰")
    assert customer.source == "web_form"
    assert customer.interactions.filter(subject__contains=lead.card.number).exists()

    card = customer.development_card
    page.goto(reverse("development:reviews") + f"?on={card.next_call_on:%Y-%m-%d}")
    section = page.locator("#due-call")
    assert card.number in section.inner_text() and "周杰" in section.inner_text()
    _fits(page)
    _shot(page, "review-list-zh-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "review-list-zh-desktop")
