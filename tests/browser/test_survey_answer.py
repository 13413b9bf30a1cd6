"""The customer answers the CSAT survey of their resolved ticket on the public page: in
Chinese, at phone width (390 px), without signing in; the link then refuses a second answer.
The manager sees the answer in the results and the satisfaction → loyalty curve (drawn by the
vendored ECharts). Screenshots at 1280 and 390 px into docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from kehu.core.models import Profile
from kehu.sales.models import Order
from kehu.service import services as service
from kehu.surveys import services
from kehu.surveys.models import Invitation, Response
from tests.browser.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def _link(org):
    reverse("surveys:results")  # load the URL table before the first page (see conftest)
    ticket = service.ticket_create(customer=org.customer, by=org.sam, assignee=org.sam,
                                   subject="净水器漏水", category="安装")  # fmt: skip
    service.ticket_resolve(ticket=ticket, by=org.sam, resolution="已更换接头")
    invitation = Invitation.objects.get(ticket=ticket)
    return ticket, invitation, services.invitation_reissue(invitation=invitation, by=org.sam)


@pytest.mark.django_db(transaction=True)
def test_customer_answers_csat_in_chinese_on_a_phone(page, org):
    ticket, invitation, token = _link(org)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/s/{token}/?lang=zh-hans")
    assert "您对我们处理您的问题是否满意" in page.inner_text("#survey-question")
    _no_overflow(page)
    _shot(page, "survey-answer-zh-390")
    page.click("label.survey-score:has(input[value='5'])")
    page.fill("#survey-comment", "师傅很快就修好了")
    page.click(".survey-submit")
    page.wait_for_selector("#survey-thanks")
    assert "感谢您的回答" in page.inner_text("#survey-thanks")
    response = Response.objects.get(ticket=ticket)
    assert (response.score, response.comment, response.source) == (5, "师傅很快就修好了", "link")
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    # The same link again: refused, with a clear message, nothing changed.
    page.goto(f"/s/{token}/?lang=zh-hans")
    assert "已经回答过" in page.inner_text("#survey-refused")
    assert page.locator("#survey-form").count() == 0
    _shot(page, "survey-used-zh-390")
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_answer_page_at_1280_and_bad_score_named(page, org):
    _ticket, _invitation, token = _link(org)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/s/{token}/?lang=zh-hans")
    _shot(page, "survey-answer-zh-1280")
    # Sending without a score: the browser asks for one (required); a forged post is a 400.
    page.click(".survey-submit")
    assert not Response.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_manager_sees_results_and_loyalty_curve(page, org, width):
    ticket, _invitation, _token = _link(org)
    services.record_ticket_csat(ticket=ticket, score=5, by=None)
    Order.objects.create(customer=org.customer, number="S-1", channel="store",
                         ordered_on=ticket.opened_at.date())  # fmt: skip
    Profile.objects.update(language="zh-hans")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "mia")
    page.goto("/surveys/loyalty/")
    page.wait_for_selector("#loyalty-chart canvas")
    assert page.locator("#loyalty-table tr[data-score='5'] td").nth(1).inner_text() == "1"
    _shot(page, f"survey-loyalty-zh-{width}")
    _no_overflow(page)
    page.goto("/surveys/?by=agent")
    assert "sam" in page.inner_text("#results-table")
    _shot(page, f"survey-results-zh-{width}")
    _no_overflow(page)
