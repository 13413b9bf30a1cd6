"""Persona matrix for the service pages: who sees a ticket (visibility of its customer), who
may serve it (reply: 403 for roles that never may, 404 for a ticket not theirs to see); a
refused request changes nothing (ticket, thread, audit trail)."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service.models import Ticket, TicketMessage
from tests.conftest import login
from tests.service.helpers import ticket

SEE = {"alice": 200, "bob": 200, "charlie": 404, "mia": 200, "sam": 200, "ana": 200,
       "pat": 200, "quinn": 404, "root": 200}  # fmt: skip
SERVE = {"alice": 302, "bob": 302, "charlie": 404, "mia": 302, "sam": 302, "ana": 403,
         "pat": 403, "quinn": 403, "root": 302}  # fmt: skip
OPEN = {"alice": 200, "bob": 200, "charlie": 404, "mia": 200, "sam": 200, "ana": 403,
        "pat": 200, "quinn": 404, "root": 200}  # fmt: skip


@pytest.mark.parametrize("persona,status", SEE.items())
def test_detail(client, org, persona, status):
    t = ticket(org)
    assert login(client, getattr(org, persona)).get(f"/service/{t.pk}/").status_code == status


@pytest.mark.parametrize("persona", SEE)
def test_queue_lists_only_visible_tickets(client, org, persona):
    t = ticket(org, subject="看得见的工单")
    page = login(client, getattr(org, persona)).get("/service/")
    assert page.status_code == 200
    assert ("看得见的工单" in page.content.decode()) == (SEE[persona] == 200)
    assert t.pk


@pytest.mark.parametrize("persona,status", SERVE.items())
def test_reply(client, org, persona, status):
    t = ticket(org)
    audit_before = AuditEvent.objects.count()
    response = login(client, getattr(org, persona)).post(
        f"/service/{t.pk}/reply/", {"body": "您好"}
    )
    assert response.status_code == status
    replied = TicketMessage.objects.filter(ticket=t).exists()
    assert replied == (status == 302)
    if status != 302:
        assert AuditEvent.objects.count() == audit_before
        assert Ticket.objects.get(pk=t.pk).status == t.status


@pytest.mark.parametrize("persona,status", OPEN.items())
def test_new_ticket_page(client, org, persona, status):
    url = f"/service/new/?customer={org.customer.pk}"
    assert login(client, getattr(org, persona)).get(url).status_code == status


def test_new_ticket_in_two_clicks(client, org):
    login(client, org.sam)
    page = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert f"/service/new/?customer={org.customer.pk}" in page
    response = client.post(f"/service/new/?customer={org.customer.pk}",
                           {"subject": "屏幕碎了", "kind": "fault", "priority": "high",
                            "channel": "phone", "assign_to_me": "on"})  # fmt: skip
    t = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/{t.pk}/"
    assert (t.assigned_to, t.status, t.kind) == (org.sam, "open", "fault")


def test_anonymous_sent_to_sign_in(client, org):
    assert client.get("/service/").status_code == 302


def test_partner_never_sees_internal_notes(client, org):
    from kehu.service import services

    t = ticket(org)
    services.ticket_note(ticket=t, by=org.sam, body="内部：客户脾气大")
    services.ticket_reply(ticket=t, by=org.sam, body="已安排上门")
    page = login(client, org.pat).get(f"/service/{t.pk}/").content.decode()
    assert "已安排上门" in page and "客户脾气大" not in page
    assert "客户脾气大" in login(client, org.sam).get(f"/service/{t.pk}/").content.decode()


def test_analyst_sees_thread_masked(client, org):
    from kehu.service import services

    t = ticket(org)
    services.ticket_reply(ticket=t, by=org.sam, body="手机 13800138000 已登记")
    page = login(client, org.ana).get(f"/service/{t.pk}/").content.decode()
    assert "13800138000" not in page
