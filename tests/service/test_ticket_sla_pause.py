"""Waiting on the customer stops the clock: the business hours paused push both deadlines."""

from __future__ import annotations

from decimal import Decimal

from kehu.service import services
from kehu.service.models import Ticket
from tests.service.helpers import at, local, ticket


def test_waiting_pauses_resolution_deadline(org):
    t = ticket(org, priority="normal", now="2025-03-03 09:00")
    assert local(t.due_at) == "2025-03-06 18:00"
    services.ticket_reply(ticket=t, by=org.sam, body="请提供序列号", waiting=True,
                          now=at("2025-03-03 10:00"))  # fmt: skip
    t.refresh_from_db()
    assert t.status == Ticket.Status.WAITING
    # The customer answers two days later: Mon 10:00 → Wed 10:00 is 18 business hours.
    services.ticket_incoming(ticket=t, by=None, body="序列号 123", now=at("2025-03-05 10:00"))
    t.refresh_from_db()
    assert t.status == Ticket.Status.OPEN
    assert t.paused_hours == Decimal(18)
    assert local(t.due_at) == "2025-03-10 18:00"


def test_pause_over_a_weekend_costs_nothing(org):
    t = ticket(org, priority="normal", now="2025-03-03 09:00")
    services.ticket_change_status(
        ticket=t, by=org.sam, status="waiting", now=at("2025-03-07 18:00")
    )
    services.ticket_change_status(ticket=t, by=org.sam, status="open", now=at("2025-03-10 09:00"))
    t.refresh_from_db()
    assert t.paused_hours == Decimal(0)
    assert local(t.due_at) == "2025-03-06 18:00"


def test_first_reply_is_the_first_response(org):
    t = ticket(org, priority="normal", now="2025-03-03 09:00")
    services.ticket_reply(ticket=t, by=org.sam, body="收到", now=at("2025-03-03 18:00"))
    t.refresh_from_db()
    assert local(t.first_response_at) == "2025-03-03 18:00"
    assert t.response_breached  # due 17:00
