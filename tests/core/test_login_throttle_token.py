"""Guessing API tokens: unknown bearer tokens from one address are counted, and after 20
that address is refused (429) even with a valid token; other addresses are not."""

from __future__ import annotations

import pytest

from kehu.api.auth import issue_token
from kehu.core.models import AuditEvent


@pytest.mark.django_db
def test_token_guessing_is_throttled_per_address(client, org):
    _token, raw = issue_token(user=org.alice, name="script")
    for i in range(20):
        r = client.get(
            "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer guess{i:040d}", REMOTE_ADDR="203.0.113.8"
        )
        assert r.status_code == 401
    refused = client.get(
        "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="203.0.113.8"
    )
    assert refused.status_code == 429
    ok = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="192.0.2.4")
    assert ok.status_code == 200
    assert AuditEvent.objects.filter(action="lockout", model="auth.signin").count() == 1
