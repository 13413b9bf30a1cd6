"""A sign-in link works once: the second use is refused with a clear message, and does not
sign anyone in."""

from __future__ import annotations

import pytest
from django.core import mail

from kehu.portal import services
from kehu.portal.models import PortalToken
from tests.portal.conftest import link_token

pytestmark = pytest.mark.django_db


def test_second_use_of_a_link_is_refused(client, portal, org):
    services.invite(customer=portal.a, by=org.sam, email="wang@example.com")
    token = link_token(mail.outbox[-1])
    # Opening the link only shows the button; the link is still unused.
    assert client.get(f"/portal/signin/{token}/").status_code == 200
    assert not PortalToken.objects.filter(used_at__isnull=False).exists()
    response = client.post(f"/portal/signin/{token}/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200

    client.post("/portal/logout/")
    again = client.post(f"/portal/signin/{token}/")
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.get("/portal/").status_code == 302  # not signed in


def test_only_the_hash_is_stored(portal, org):
    services.invite(customer=portal.a, by=org.sam, email="wang@example.com")
    token = link_token(mail.outbox[-1])
    raw = token.split(":")[0]
    row = PortalToken.objects.latest("id")
    assert row.digest == services.digest_of(raw)
    assert raw not in row.digest
    assert not PortalToken.objects.filter(digest__contains=raw).exists()
