"""/api/v1/tickets per persona: who sees the queue and a ticket, who opens, replies and
changes status (403 for the role, 404 for a ticket not theirs), analysts masked, partners
without internal notes; refused calls change nothing; bad input is 422."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service import services
from kehu.service.models import Ticket, TicketMessage
from tests.api.conftest import HIDDEN, SEES

OPENERS = {"alice": 201, "bob": 201, "mia": 201, "sam": 201, "root": 201, "pat": 201,
           "ana": 403, "charlie": 404, "quinn": 404}  # fmt: skip
SERVE = {"alice": 201, "bob": 201, "mia": 201, "sam": 201, "root": 201, "ana": 403,
         "pat": 403, "quinn": 403, "charlie": 404}  # fmt: skip


@pytest.fixture
def t(org):
    return services.ticket_create(customer=org.customer, by=org.sam, subject="电视黑屏",
                                  description="手机 13800138000")  # fmt: skip


@pytest.mark.parametrize("persona", SEES + HIDDEN)
def test_queue_and_detail(api, org, t, persona):
    client = api(getattr(org, persona))
    ids = [i["id"] for i in client.get("/tickets").json()["items"]]
    assert (t.pk in ids) == (persona in SEES)
    assert client.get(f"/tickets/{t.pk}").status_code == (200 if persona in SEES else 404)


def test_analyst_sees_text_masked(api, org, t):
    body = api(org.ana).get(f"/tickets/{t.pk}").json()
    assert "13800138000" not in str(body) and body["description"] == "****"


@pytest.mark.parametrize("persona,status", OPENERS.items())
def test_open(api, org, persona, status):
    response = api(getattr(org, persona)).post(
        "/tickets", {"customer_id": org.customer.pk, "subject": "漏水", "kind": "complaint"}
    )
    assert response.status_code == status
    assert Ticket.objects.exists() == (status == 201)


@pytest.mark.parametrize("persona,status", SERVE.items())
def test_reply(api, org, t, persona, status):
    before = AuditEvent.objects.count()
    response = api(getattr(org, persona)).post(f"/tickets/{t.pk}/messages", {"body": "您好"})
    assert response.status_code == status
    assert TicketMessage.objects.filter(ticket=t).exists() == (status == 201)
    if status != 201:
        assert AuditEvent.objects.count() == before


def test_partner_gets_no_internal_notes(api, org, t):
    services.ticket_note(ticket=t, by=org.sam, body="内部备注")
    body = api(org.pat).get(f"/tickets/{t.pk}").json()
    assert "内部备注" not in str(body)


def test_status_change_and_bad_transition(api, org, t):
    client = api(org.sam)
    assert (
        client.post(f"/tickets/{t.pk}/status", {"status": "waiting"}).json()["status"] == "waiting"
    )
    response = client.post(f"/tickets/{t.pk}/status", {"status": "reopened"})
    assert response.status_code == 422
    assert Ticket.objects.get(pk=t.pk).status == "waiting"


def test_bad_input_is_422(api, org):
    client = api(org.sam)
    assert (
        client.post("/tickets", {"customer_id": org.customer.pk, "subject": ""}).status_code == 422
    )
    assert client.post("/tickets", {"customer_id": org.customer.pk, "subject": "x",
                                    "kind": "rant"}).status_code == 422  # fmt: skip
    assert not Ticket.objects.exists()
