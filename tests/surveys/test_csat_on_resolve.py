"""Resolving a ticket invites its customer to rate it (CSAT), once per ticket."""

from __future__ import annotations

from django.core import mail

from kehu.service import services as service
from kehu.surveys.models import Invitation, Survey
from tests.surveys.helpers import at, resolved_ticket


def test_resolve_creates_one_csat_invitation(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = resolved_ticket(org)
    invitation = Invitation.objects.get(ticket=ticket)
    assert invitation.survey.kind == Survey.Kind.CSAT_TICKET
    assert invitation.customer == org.customer
    assert invitation.used_at is None
    assert invitation.expires_at > at("2025-03-03 09:00")
    # Only the hash is kept; the link went out by e-mail to the customer.
    assert len(invitation.token_hash) == 64
    assert [m.to for m in mail.outbox] == [["zhang.wei@example.com"]]
    assert "/s/" in mail.outbox[0].body
    token = mail.outbox[0].body.split("/s/")[1].split("/")[0]
    assert token not in invitation.token_hash


def test_resolved_again_after_reopen_keeps_one_invitation(org):
    ticket = resolved_ticket(org)
    service.ticket_reopen(ticket=ticket, by=org.sam, now=at("2025-03-04 09:00"))
    service.ticket_resolve(ticket=ticket, by=org.sam, now=at("2025-03-04 10:00"))
    assert Invitation.objects.filter(ticket=ticket).count() == 1


def test_open_ticket_has_no_invitation(org):
    ticket = service.ticket_create(customer=org.customer, by=org.sam, subject="咨询")
    assert not Invitation.objects.filter(ticket=ticket).exists()
