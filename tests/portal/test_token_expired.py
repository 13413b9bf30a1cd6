"""Expired and altered sign-in links are refused, and sign nobody in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from kehu.portal import services
from kehu.portal.models import PortalToken
from tests.portal.conftest import link_token

pytestmark = pytest.mark.django_db


def _link(client, portal):
    response = client.post("/portal/login/", {"email": "wang@example.com"})
    assert response.status_code == 200
    return link_token(mail.outbox[-1])


def test_a_link_past_its_expiry_is_refused(client, portal):
    token = _link(client, portal)
    PortalToken.objects.filter(purpose="login").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.post(f"/portal/signin/{token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.get("/portal/").status_code == 302
    assert not PortalToken.objects.filter(used_at__isnull=False).exists()


def test_a_link_older_than_its_signature_allows_is_refused(client, portal, monkeypatch):
    token = _link(client, portal)
    later = timezone.now().timestamp() + 8 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with pytest.raises(services.LinkRefused) as refused:
        services.redeem(token=token)
    assert refused.value.reason == "expired"


def test_an_altered_link_is_refused(client, portal):
    token = _link(client, portal)
    altered = ("x" if token[0] != "x" else "y") + token[1:]
    response = client.post(f"/portal/signin/{altered}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert client.get("/portal/").status_code == 302
