"""A survey link answers once: the second use, on the page or in the service, is refused with
a clear message and nothing changes (the answer, the invitation, the audit log)."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.surveys import services
from kehu.surveys.models import Response
from tests.surveys.helpers import at, csat_link, resolved_ticket


def test_second_answer_on_the_page_is_refused_and_changes_nothing(org, client):
    ticket = resolved_ticket(org)
    invitation, token = csat_link(org, ticket)
    first = client.post(f"/s/{token}/?lang=en", {"score": "5", "comment": "很满意"})
    assert first.status_code == 200
    assert Response.objects.get().score == 5
    invitation.refresh_from_db()
    used_at = invitation.used_at
    events = AuditEvent.objects.count()

    again = client.post(f"/s/{token}/?lang=en", {"score": "1", "comment": "改主意"})
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert list(Response.objects.values_list("score", "comment")) == [(5, "很满意")]
    invitation.refresh_from_db()
    assert invitation.used_at == used_at
    assert AuditEvent.objects.count() == events
    # Opening the used link shows the same refusal, no form.
    page = client.get(f"/s/{token}/?lang=zh-hans")
    assert page.status_code == 410
    assert "已经" in page.content.decode() and "survey-form" not in page.content.decode()


def test_reissued_link_replaces_the_old_one(org):
    ticket = resolved_ticket(org)
    invitation, old = csat_link(org, ticket)
    new = services.invitation_reissue(invitation=invitation, by=org.sam, now=at("2025-03-03 12:00"))
    with pytest.raises(services.TokenRefused) as refused:
        services.answer_by_token(token=old, score=4, now=at("2025-03-03 12:05"))
    assert refused.value.reason == "unknown"
    services.answer_by_token(token=new, score=4, now=at("2025-03-03 12:05"))
    assert Response.objects.get().score == 4
