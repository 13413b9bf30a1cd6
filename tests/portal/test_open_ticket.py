"""A customer opens a ticket in the portal: it is their customer's, on the portal channel,
with the SLA deadlines the service desk computes; bad input is a 400 naming the field and
writes nothing."""

from __future__ import annotations

import pytest

from kehu.service.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_new_ticket_is_the_customers_on_the_portal_channel(client, portal):
    client.force_login(portal.wang)
    response = client.post(
        "/portal/tickets/new/",
        {"kind": "complaint", "subject": "热水器漏水", "description": "安装第二天就漏水了。"},
    )
    ticket = Ticket.objects.get(subject="热水器漏水")
    assert response.status_code == 302 and response["Location"] == f"/portal/tickets/{ticket.pk}/"
    assert ticket.customer == portal.a
    assert ticket.channel == Ticket.Channel.PORTAL
    assert ticket.kind == Ticket.Kind.COMPLAINT
    assert ticket.status == Ticket.Status.NEW
    assert ticket.due_at is not None and ticket.first_response_due_at is not None
    assert "热水器漏水" in client.get("/portal/").content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "question", "subject": "", "description": "x"}, "subject"),
        ({"kind": "question", "subject": "   ", "description": "x"}, "subject"),
        ({"kind": "question", "subject": "x" * 201, "description": "x"}, "subject"),
        ({"kind": "question", "subject": "hi", "description": ""}, "description"),
        ({"kind": "bribe", "subject": "hi", "description": "x"}, "kind"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, portal, data, field):
    client.force_login(portal.wang)
    before = Ticket.objects.count()
    response = client.post("/portal/tickets/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="form-errors"' in page
    assert f'name="{field}"' in page and "errorlist" in page
    assert Ticket.objects.count() == before


def test_an_empty_post_is_a_400_with_the_fields_marked(client, portal):
    client.force_login(portal.wang)
    response = client.post("/portal/tickets/new/", {})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert not Ticket.objects.filter(channel="portal").exists()
