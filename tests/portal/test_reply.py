"""The customer's reply: a message from the customer on their ticket; a resolved ticket is
reopened and a waiting one resumes (the service desk's state rules); an empty reply is
refused and writes nothing."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service import services as ticket_services
from kehu.service.models import Ticket, TicketMessage

pytestmark = pytest.mark.django_db


def test_a_reply_on_a_resolved_ticket_reopens_it(client, portal, org):
    ticket_services.ticket_resolve(ticket=portal.ticket_a, by=org.sam, resolution="换了零件")
    client.force_login(portal.wang)
    response = client.post(f"/portal/tickets/{portal.ticket_a.pk}/reply/", {"body": "还是坏的"})
    assert response.status_code == 302
    portal.ticket_a.refresh_from_db()
    assert portal.ticket_a.status == Ticket.Status.REOPENED
    assert portal.ticket_a.reopened_count == 1
    message = portal.ticket_a.messages.latest("id")
    assert message.kind == TicketMessage.Kind.INCOMING
    assert message.author == portal.wang
    assert message.sender == "wang@example.com"
    assert AuditEvent.objects.filter(
        model="service.ticketmessage", object_id=str(message.pk)
    ).exists()


def test_a_reply_on_a_waiting_ticket_resumes_it(client, portal, org):
    ticket_services.ticket_change_status(ticket=portal.ticket_a, by=org.sam, status="waiting")
    client.force_login(portal.wang)
    client.post(f"/portal/tickets/{portal.ticket_a.pk}/reply/", {"body": "型号是 X-200"})
    portal.ticket_a.refresh_from_db()
    assert portal.ticket_a.status == Ticket.Status.OPEN


@pytest.mark.parametrize("body", ["", "   \n "])
def test_an_empty_reply_is_refused(client, portal, body):
    client.force_login(portal.wang)
    before = (TicketMessage.objects.count(), AuditEvent.objects.count())
    response = client.post(f"/portal/tickets/{portal.ticket_a.pk}/reply/", {"body": body})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert (TicketMessage.objects.count(), AuditEvent.objects.count()) == before


def test_reply_is_post_only(client, portal):
    client.force_login(portal.wang)
    assert client.get(f"/portal/tickets/{portal.ticket_a.pk}/reply/").status_code == 405
