"""An agent takes a complaint from the VIP queue (the key customer's ticket is first though
another is due sooner), replies and resolves it; the supervisor of an agent whose ticket
passed its deadline sees the overdue alert under the bell. Then the queue and the ticket in
Chinese at phone width (cards, nothing wider than the screen). Screenshots in
KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse

from kehu.core.models import Profile
from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.notifications.models import Notification
from kehu.service import escalation, services
from kehu.service.models import Ticket
from tests.browser.conftest import login

SHOTS = os.environ.get("KEHU_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _setup(org):
    # Load the URL table here, not in the first page load (it imports every view: seconds on
    # a busy machine, longer than the browser waits).
    reverse("service:queue")
    vip = customer_services.customer_create(
        by=org.alice, owner=org.alice, name="上海启明建材有限公司"
    )
    Customer.objects.filter(pk=vip.pk).update(tier="key")
    vip.refresh_from_db()
    ordinary = services.ticket_create(customer=org.customer, by=org.sam, subject="普通咨询",
                                      kind="question", priority="urgent")  # fmt: skip
    complaint = services.ticket_create(customer=vip, by=org.sam, subject="货物破损投诉",
                                       kind="complaint", priority="low")  # fmt: skip
    assert complaint.due_at > ordinary.due_at  # due later, yet first: key customer
    return complaint


@pytest.mark.django_db(transaction=True)
def test_agent_resolves_vip_complaint_and_supervisor_is_alerted(page, org):
    complaint = _setup(org)
    login(page, "sam")
    page.goto("/service/")
    first = page.locator("#queue tbody tr").first
    assert first.get_attribute("data-ticket") == str(complaint.pk)
    _shot(page, "service-queue-en")
    first.locator("a").first.click()
    page.click("[data-testid=take]")
    page.fill("#reply-form textarea[name=body]", "非常抱歉，我们明天上门更换。")
    page.click("[data-testid=send-reply]")
    page.wait_for_selector("#thread li.reply")
    page.click("[data-testid=open-resolve]")
    page.fill("#resolve-form textarea[name=resolution]", "已上门更换破损货物")
    page.fill("#resolve-form input[name=root_cause]", "运输包装不足")
    page.click("[data-testid=resolve]")
    page.wait_for_selector("#ticket-status[data-status=resolved]")
    _shot(page, "service-ticket-resolved-en")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assigned_to, complaint.first_response_at is not None) == (
        "resolved", org.sam, True,
    )  # fmt: skip

    late = services.ticket_create(customer=org.customer, by=org.sam, subject="维修超时",
                                  assignee=org.bob)  # fmt: skip
    escalation.check_overdue(now=late.due_at + dt.timedelta(minutes=1))
    page.click("form[action='/logout/'] button")
    login(page, "mia")
    unread = Notification.objects.filter(recipient=org.mia, read_at__isnull=True).count()
    assert unread >= 1
    assert page.locator("[data-testid=bell] .bell-count").inner_text() == str(unread)
    page.click("[data-testid=bell]")
    alert = page.locator(".notifications li.unread[data-kind=ticket_overdue]", has_text="维修超时")
    _shot(page, "service-alert-en")
    alert.locator("button").click()
    page.wait_for_url(f"**/service/{late.pk}/")
    assert (
        Notification.objects.filter(recipient=org.mia, read_at__isnull=True).count() == unread - 1
    )


@pytest.mark.django_db(transaction=True)
def test_queue_and_ticket_fit_a_phone_in_chinese(page, org):
    complaint = _setup(org)
    Profile.objects.filter(user=org.sam).update(language="zh-hans")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "sam")
    for url, name in (("/service/", "service-queue-zh-phone"),
                      (f"/service/{complaint.pk}/", "service-ticket-zh-phone")):  # fmt: skip
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, (url, width)
        _shot(page, name)
    assert "服务队列" in page.content() or "解决期限" in page.content()
    assert Ticket.objects.count() == 2
