"""A portal user of customer A cannot see, reply to or rate customer B's tickets: the same
404 as for a ticket that does not exist, and nothing is written."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.core.permissions import visible_customers
from kehu.service import services as ticket_services
from kehu.service.models import Ticket, TicketMessage
from kehu.surveys.models import Response

pytestmark = pytest.mark.django_db


def test_visible_customers_is_their_own_customer_only(portal):
    assert list(visible_customers(portal.wang)) == [portal.a]
    assert list(visible_customers(portal.li)) == [portal.b]


def test_my_tickets_lists_only_their_customer(client, portal):
    client.force_login(portal.wang)
    page = client.get("/portal/").content.decode()
    assert "A 的问题" in page
    assert "B 的问题" not in page


def test_other_customers_ticket_is_the_same_404_as_a_missing_one(client, portal, org):
    ticket_services.ticket_resolve(ticket=portal.ticket_b, by=org.sam, resolution="done")
    client.force_login(portal.wang)
    missing = Ticket.objects.order_by("-pk").first().pk + 1000
    b = portal.ticket_b.pk
    before = (
        TicketMessage.objects.count(),
        AuditEvent.objects.count(),
        Response.objects.count(),
    )
    for pk in (b, missing):
        assert client.get(f"/portal/tickets/{pk}/").status_code == 404
        assert client.post(f"/portal/tickets/{pk}/reply/", {"body": "hi"}).status_code == 404
        assert client.post(f"/portal/tickets/{pk}/rate/", {"score": "1"}).status_code == 404
    after = (
        TicketMessage.objects.count(),
        AuditEvent.objects.count(),
        Response.objects.count(),
    )
    assert after == before
    portal.ticket_b.refresh_from_db()
    assert portal.ticket_b.status == Ticket.Status.RESOLVED


def test_a_revoked_access_sees_nothing(client, portal):
    portal.wang_access.is_active = False
    portal.wang_access.save()
    assert not visible_customers(portal.wang).exists()
    client.force_login(portal.wang)
    assert client.get(f"/portal/tickets/{portal.ticket_a.pk}/").status_code == 403
