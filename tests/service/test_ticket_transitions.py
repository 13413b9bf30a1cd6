"""Status changes follow the allowed transitions; a refused one changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.core.models import AuditEvent
from kehu.service import services
from kehu.service.models import Ticket
from tests.service.helpers import at, ticket


def test_new_ticket_is_new_until_assigned(org):
    t = ticket(org)
    assert t.status == Ticket.Status.NEW
    services.ticket_assign(ticket=t, by=org.mia, assignee=org.sam)
    t.refresh_from_db()
    assert (t.status, t.assigned_to) == (Ticket.Status.OPEN, org.sam)


def test_resolved_cannot_go_waiting(org):
    t = ticket(org)
    services.ticket_resolve(ticket=t, by=org.sam, resolution="换新")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.ticket_change_status(ticket=t, by=org.sam, status="waiting")
    t.refresh_from_db()
    assert t.status == Ticket.Status.RESOLVED
    assert AuditEvent.objects.count() == before


def test_unknown_status_refused(org):
    with pytest.raises(ValidationError):
        services.ticket_change_status(ticket=ticket(org), by=org.sam, status="frozen")


def test_complaint_needs_resolution(org):
    t = ticket(org, kind="complaint")
    with pytest.raises(ValidationError):
        services.ticket_resolve(ticket=t, by=org.sam)
    t.refresh_from_db()
    assert t.status == Ticket.Status.NEW


def test_reopen_counts_and_can_escalate_again(org):
    t = ticket(org)
    services.ticket_resolve(ticket=t, by=org.sam, resolution="ok", now=at("2025-03-03 10:00"))
    Ticket.objects.filter(pk=t.pk).update(escalated_at=at("2025-03-03 09:30"))
    services.ticket_reopen(ticket=t, by=org.sam, reason="又坏了", now=at("2025-03-04 10:00"))
    t.refresh_from_db()
    assert (t.status, t.reopened_count, t.escalated_at) == ("reopened", 1, None)
    assert t.resolved_at is None
    assert t.messages.filter(kind="note", body="又坏了").exists()


def test_every_change_is_audited_with_the_actor(org):
    t = ticket(org, by=org.sam)
    services.ticket_reply(ticket=t, by=org.alice, body="您好")
    events = AuditEvent.objects.filter(customer_id=org.customer.pk, model__startswith="service.")
    assert {(e.model, e.user_id) for e in events} >= {
        ("service.ticket", org.sam.pk),
        ("service.ticketmessage", org.alice.pk),
    }
