"""The overdue check (frozen clock: ``now`` passed in): breaches are flagged, the assignee and
the team's manager are told once, the escalation is in the audit trail; waiting tickets are
skipped; a complaint raises the churn-risk signal."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.notifications.models import Notification
from kehu.service import escalation, selectors, services
from kehu.service.models import Ticket
from kehu.service.signals import complaint_overdue
from tests.service.helpers import at, ticket


def test_overdue_ticket_escalates_once(org, django_capture_on_commit_callbacks):
    t = ticket(org, assignee=org.bob, kind="complaint", now="2025-03-03 09:00")  # due Thu 18:00
    assert t.team == org.north  # bob's team, managed by mia
    before = escalation.check_overdue(now=at("2025-03-06 17:59"))
    assert before.escalated == 0
    received = []
    complaint_overdue.connect(lambda sender, customer_ids, **kw: received.append(customer_ids),
                              weak=False, dispatch_uid="t")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        result = escalation.check_overdue(now=at("2025-03-06 18:01"))
    complaint_overdue.disconnect(dispatch_uid="t")
    assert result.escalated == 1
    t.refresh_from_db()
    assert t.resolution_breached and t.escalated_at == at("2025-03-06 18:01")
    overdue = Notification.objects.filter(kind="ticket_overdue")
    assert sorted(n.recipient.username for n in overdue) == ["bob", "mia"]
    assert AuditEvent.objects.filter(
        model="service.ticket", object_id=str(t.pk), changes__has_key="resolution_breached"
    ).exists()
    assert received == [[org.customer.pk]]
    assert selectors.overdue_complaints([org.customer.pk], now=at("2025-03-06 18:01")) == {
        org.customer.pk: 1
    }
    # A minute later: nothing new.
    again = escalation.check_overdue(now=at("2025-03-06 18:02"))
    assert again.escalated == 0
    assert Notification.objects.filter(kind="ticket_overdue").count() == 2


def test_waiting_ticket_is_not_escalated(org):
    t = ticket(org, assignee=org.bob, now="2025-03-03 09:00")
    services.ticket_reply(ticket=t, by=org.bob, body="?", waiting=True, now=at("2025-03-03 10:00"))
    result = escalation.check_overdue(now=at("2025-03-20 10:00"))
    assert result.escalated == 0
    assert not Ticket.objects.get(pk=t.pk).resolution_breached


def test_late_first_response_flagged(org):
    t = ticket(org, assignee=org.bob, now="2025-03-03 09:00")  # first response due 17:00
    result = escalation.check_overdue(now=at("2025-03-03 17:01"))
    assert result.response_breached == 1 and result.escalated == 0
    assert Ticket.objects.get(pk=t.pk).response_breached
    assert Notification.objects.filter(kind="ticket_response_late", recipient=org.bob).exists()


def test_many_overdue_summarised(org):
    for _ in range(escalation.PER_TICKET_LIMIT + 1):
        ticket(org, assignee=org.bob, now="2025-03-03 09:00")
    escalation.check_overdue(now=at("2025-03-10 09:00"))
    bob = Notification.objects.filter(kind="ticket_overdue", recipient=org.bob)
    assert bob.count() == 1 and "?overdue=1" in bob.get().url


def test_resolved_complaint_is_no_signal(org):
    t = ticket(org, kind="complaint", now="2025-03-03 09:00")
    services.ticket_resolve(ticket=t, by=org.sam, resolution="退款", now=at("2025-03-10 09:00"))
    assert selectors.overdue_complaints([org.customer.pk], now=at("2025-03-11 09:00")) == {}
