"""The customer portal in a real browser, in Chinese: a customer invited by an agent asks for
an e-mailed sign-in link, signs in with it (the link read from the outbox), opens a ticket,
answers the agent's question, and rates the answer once the ticket is resolved; the agent's
internal note never shows. The pages at phone width (390 px) fit the screen. Screenshots in
KEHU_SCREENSHOTS (when set) at 1280 and 390 px for a person to look at."""

from __future__ import annotations

import os
import re

import pytest
from django.core import mail
from django.urls import reverse

from kehu.knowledge import services as kb
from kehu.knowledge.models import Article
from kehu.portal import services as portal_services
from kehu.service import services as ticket_services
from kehu.service.models import Ticket
from kehu.surveys.models import Response

SHOTS = os.environ.get("KEHU_SCREENSHOTS", "")
LINK = re.compile(r"/portal/signin/(\S+)/")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (page.url, width)


def _both_widths(page, url: str, name: str) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        if width == 390:
            _fits_phone(page)
        _shot(page, f"{name}-zh-{width}")


@pytest.mark.django_db(transaction=True)
def test_customer_signs_in_by_link_opens_replies_and_rates(page, org):
    reverse("portal:home")
    portal_services.invite(customer=org.customer, by=org.sam, email="wang@example.com",
                           name="王先生")  # fmt: skip
    kb.article_create(by=org.sam, title_zh="热水器如何除垢", title_en="Descaling the heater",
                      body_zh="每半年除垢一次：关闭电源，放空水箱，加入除垢剂。",
                      visibility=Article.Visibility.PUBLIC, status=Article.Status.PUBLISHED)  # fmt: skip
    mail.outbox.clear()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/portal/login/")
    with page.expect_navigation():
        page.select_option("#portal-language", "zh-hans")
    page.fill("input[name=email]", "wang@example.com")
    page.click("#link-form button[type=submit]")
    page.wait_for_selector("#link-sent")
    assert "登录链接" in page.inner_text("#link-sent")
    _fits_phone(page)
    _shot(page, "portal-login-zh-390")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.com"]
    token = LINK.search(mail.outbox[0].body).group(1)
    page.goto(f"/portal/signin/{token}/")
    page.click("#signin-button")
    page.wait_for_url("**/portal/")
    page.wait_for_selector("#no-tickets")

    page.click("#new-ticket")
    page.select_option("select[name=kind]", "fault")
    page.fill("input[name=subject]", "热水器不出热水")
    page.fill("textarea[name=description]", "昨天开始只出冷水，型号 JSQ-16。")
    page.click("#ticket-form button[type=submit]")
    page.wait_for_selector("#ticket-subject")
    ticket = Ticket.objects.get(subject="热水器不出热水")
    assert ticket.customer == org.customer and ticket.channel == "portal"

    # The agent asks a question (the clock stops) and leaves an internal note.
    ticket_services.ticket_reply(ticket=ticket, by=org.sam, waiting=True,
                                 body="请问燃气阀门是否打开？")  # fmt: skip
    ticket_services.ticket_note(ticket=ticket, by=org.sam, body="内部备注：可能是点火器故障")
    page.reload()
    assert "燃气阀门" in page.inner_text("#thread")
    assert "内部备注" not in page.content()
    page.fill("#reply textarea[name=body]", "阀门是开着的。")
    page.click("#reply-button")
    page.wait_for_selector("#thread li.mine")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN

    ticket_services.ticket_resolve(ticket=ticket, by=org.sam, resolution="上门更换了点火器。")
    page.reload()
    page.check("input[name=score][value='5']")
    page.fill("#rating textarea[name=comment]", "师傅很专业，第二天就修好了。")
    page.click("#rate-button")
    page.wait_for_selector("#rated")
    rating = Response.objects.get(ticket=ticket)
    assert (rating.score, rating.source) == (5, "portal")
    assert "内部备注" not in page.content()

    _both_widths(page, "/portal/", "portal-tickets")
    _both_widths(page, f"/portal/tickets/{ticket.pk}/", "portal-ticket")
    _both_widths(page, "/portal/tickets/new/", "portal-new-ticket")
    _both_widths(page, "/portal/help/?q=除垢", "portal-help")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/portal/login/")  # signed in: back to the tickets
    page.wait_for_url("**/portal/")

    # The used link is refused with a clear message after signing out.
    page.click("#portal-logout")
    page.wait_for_url("**/portal/login/")
    page.goto(f"/portal/signin/{token}/")
    assert "已被使用" in page.inner_text("#link-refused")
    _shot(page, "portal-link-used-zh-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    _fits_phone(page)
    _shot(page, "portal-link-used-zh-390")
