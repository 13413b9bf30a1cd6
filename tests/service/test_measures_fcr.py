"""First-contact resolution, as ``measures.fcr_condition`` defines it: resolved with exactly
one public reply from the service side and never reopened. Internal notes and the
customer's own messages do not count as replies; a ticket resolved without any reply is not
one."""

from __future__ import annotations

import datetime as dt

from kehu.service import measures, services
from tests.service.helpers import at, ticket

MARCH = measures.Period(dt.date(2025, 3, 1), 1)


def _resolve(t, org, when="2025-03-03 15:00"):
    services.ticket_resolve(ticket=t, by=org.sam, resolution="好了", now=at(when))


def _fcr(org):
    [row] = measures.measures(user=org.root, period=MARCH).rows
    return row.fcr, row.resolved


def test_one_reply_then_resolved_is_fcr(org):
    t = ticket(org, assignee=org.sam)
    services.ticket_reply(ticket=t, by=org.sam, body="已处理", now=at("2025-03-03 10:00"))
    _resolve(t, org)
    assert _fcr(org) == (1, 1)


def test_notes_and_customer_messages_do_not_count(org):
    t = ticket(org, assignee=org.sam)
    services.ticket_incoming(ticket=t, by=None, body="还是不行", sender="zhang.wei@example.com",
                             now=at("2025-03-03 09:30"))  # fmt: skip
    services.ticket_note(ticket=t, by=org.sam, body="内部：查日志")
    services.ticket_reply(ticket=t, by=org.sam, body="已处理", now=at("2025-03-03 10:00"))
    _resolve(t, org)
    assert _fcr(org) == (1, 1)


def test_two_replies_are_not(org):
    t = ticket(org, assignee=org.sam)
    services.ticket_reply(ticket=t, by=org.sam, body="请稍等", now=at("2025-03-03 10:00"))
    services.ticket_reply(ticket=t, by=org.sam, body="已处理", now=at("2025-03-03 11:00"))
    _resolve(t, org)
    assert _fcr(org) == (0, 1)


def test_no_reply_is_not(org):
    _resolve(ticket(org, assignee=org.sam), org)
    assert _fcr(org) == (0, 1)


def test_reopened_is_not_even_with_one_reply(org):
    t = ticket(org, assignee=org.sam)
    services.ticket_reply(ticket=t, by=org.sam, body="已处理", now=at("2025-03-03 10:00"))
    _resolve(t, org, "2025-03-03 11:00")
    services.ticket_reopen(ticket=t, by=org.sam, now=at("2025-03-03 12:00"))
    _resolve(t, org, "2025-03-03 13:00")
    assert _fcr(org) == (0, 1)
