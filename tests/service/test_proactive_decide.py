"""Accepting a suggestion opens a ticket or puts a call on the owner's due list; dismissing
needs a reason; a decided suggestion cannot be decided again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.core import duelist
from kehu.retention.models import Task
from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion, Ticket
from tests.service.proactive_data import NOW, TODAY, customer


def _suggestion(org, kind="service_due", **fields) -> ProactiveSuggestion:
    c = fields.pop("customer", None) or customer(org, "王芳")
    fields.setdefault("params", {"product": "PP棉滤芯", "bought": "2025-01-01", "days": 180,
                                 "due": "2025-06-30"})  # fmt: skip
    fields.setdefault("due_on", TODAY)
    return ProactiveSuggestion.objects.create(customer=c, kind=kind, key="k",
                                              assigned_to=c.owner, **fields)  # fmt: skip


def test_accept_as_call_puts_it_on_the_owner_due_list(org):
    s = proactive.suggestion_accept(suggestion=_suggestion(org), by=org.sam, as_="call", now=NOW)
    task = Task.objects.get()
    assert (s.status, s.task, s.decided_by) == ("accepted", task, org.sam)
    assert (task.assigned_to, task.due_on, task.step_kind) == (org.alice, TODAY, "call")
    assert "PP棉滤芯" in task.notes
    items = duelist.due_items(user=org.alice, today=TODAY, only=["retention"])
    assert [i.customer_id for i in items] == [s.customer_id]


def test_accept_as_ticket_assigns_the_agent(org):
    s = proactive.suggestion_accept(suggestion=_suggestion(org, kind="peer_fault",
                                    params={"peers": 2, "product": "净水器", "window": 30,
                                            "bought": "2025-01-01"}),
                                    by=org.sam, as_="ticket", now=NOW)  # fmt: skip
    ticket = Ticket.objects.get()
    assert s.ticket == ticket and ticket.kind == "fault" and ticket.assigned_to == org.sam
    assert "净水器" in ticket.description


def test_decided_once_and_reason_required(org):
    s = _suggestion(org)
    with pytest.raises(ValidationError):
        proactive.suggestion_dismiss(suggestion=s, by=org.alice, reason="  ")
    with pytest.raises(ValidationError):
        proactive.suggestion_accept(suggestion=s, by=org.alice, as_="fax")
    s.refresh_from_db()
    assert s.status == "open"
    proactive.suggestion_dismiss(suggestion=s, by=org.alice, reason="客户已换过滤芯")
    with pytest.raises(ValidationError):
        proactive.suggestion_accept(suggestion=s, by=org.alice, as_="call")
    s.refresh_from_db()
    assert (s.status, s.dismiss_reason, Task.objects.count()) == ("dismissed", "客户已换过滤芯", 0)


def test_due_list_mine_and_team(org):
    s = _suggestion(org, due_on=TODAY.replace(day=1))
    mine = duelist.due_items(user=org.alice, today=TODAY, only=["proactive"])
    assert [(i.customer_id, i.source) for i in mine] == [(s.customer_id, "proactive")]
    assert "PP棉滤芯" in mine[0].detail
    team = duelist.due_items(user=org.mia, today=TODAY, scope="team", only=["proactive"])
    assert [i.customer_id for i in team] == [s.customer_id]
    assert duelist.due_items(user=org.bob, today=TODAY, only=["proactive"]) == []
    assert duelist.due_items(user=org.charlie, today=TODAY, scope="team",
                             only=["proactive"]) == []  # fmt: skip
