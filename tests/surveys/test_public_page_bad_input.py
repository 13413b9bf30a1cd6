"""The public page on bad input: a score out of range, missing or not a number is a 400 that
names the score, the form is shown again, and nothing is written; the link stays usable."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.surveys.models import Invitation, Response
from tests.surveys.helpers import csat_link, resolved_ticket


@pytest.mark.parametrize("score", ["6", "0", "-1", "4.5", "five", ""])
def test_bad_score_is_400_and_changes_nothing(org, client, score):
    ticket = resolved_ticket(org)
    invitation, token = csat_link(org, ticket)
    events = AuditEvent.objects.count()
    page = client.post(f"/s/{token}/?lang=en", {"score": score, "comment": "x"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "The score must be a whole number from 1 to 5." in body
    assert 'id="survey-form"' in body
    assert not Response.objects.exists()
    assert Invitation.objects.get(pk=invitation.pk).used_at is None
    assert AuditEvent.objects.count() == events
    # The same link then takes a good answer.
    assert client.post(f"/s/{token}/?lang=en", {"score": "4"}).status_code == 200


def test_comment_too_long_is_400(org, client):
    ticket = resolved_ticket(org)
    _invitation, token = csat_link(org, ticket)
    page = client.post(f"/s/{token}/?lang=en", {"score": "4", "comment": "长" * 2001})
    assert page.status_code == 400
    assert "too long" in page.content.decode()
    assert not Response.objects.exists()


def test_page_in_chinese_by_default_and_english_on_request(org, client):
    ticket = resolved_ticket(org)
    _invitation, token = csat_link(org, ticket)
    zh = client.get(f"/s/{token}/?lang=zh-hans").content.decode()
    assert "您对我们处理您的问题是否满意" in zh
    en = client.get(f"/s/{token}/?lang=en").content.decode()
    assert "How satisfied are you" in en
