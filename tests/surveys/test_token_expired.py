"""An expired link is refused (410, a clear message) and records nothing; an unknown one is
404."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import AuditEvent
from kehu.surveys import services
from kehu.surveys.models import Invitation, Response
from tests.surveys.helpers import at, csat_link, resolved_ticket


def test_expired_link_refused_nothing_recorded(org, client):
    ticket = resolved_ticket(org)
    invitation, token = csat_link(org, ticket, now="2025-03-03 10:00")
    # Valid for the survey's 14 days: one second past, refused.
    late = at("2025-03-03 10:00") + dt.timedelta(days=14)
    with pytest.raises(services.TokenRefused) as refused:
        services.answer_by_token(token=token, score=5, now=late)
    assert refused.value.reason == "expired"
    events = AuditEvent.objects.count()
    page = client.post(f"/s/{token}/?lang=en", {"score": "5"})
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert not Response.objects.exists()
    assert Invitation.objects.get(pk=invitation.pk).used_at is None
    assert AuditEvent.objects.count() == events


def test_just_before_expiry_is_accepted(org):
    ticket = resolved_ticket(org)
    _invitation, token = csat_link(org, ticket, now="2025-03-03 10:00")
    almost = at("2025-03-03 10:00") + dt.timedelta(days=14, seconds=-1)
    assert services.answer_by_token(token=token, score=3, now=almost).score == 3


def test_unknown_link_is_not_found(client, db):
    page = client.get("/s/not-a-real-token/?lang=en")
    assert page.status_code == 404
    assert "not valid" in page.content.decode()
