""" "E-mail me a sign-in link": sent only to an address with portal access (the page says
the same either way), audited, and rate-limited per address and per e-mail."""

from __future__ import annotations

import pytest
from django.core import mail

from kehu.core.models import AuditEvent
from kehu.portal.models import PortalToken
from tests.portal.conftest import link_token

pytestmark = pytest.mark.django_db


def test_a_known_address_gets_a_link_that_signs_in(client, portal):
    response = client.post("/portal/login/", {"email": " Wang@Example.com "})
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.com"]
    assert AuditEvent.objects.filter(
        model="portal.portalaccess", summary__contains="sign-in link"
    ).exists()
    token = link_token(mail.outbox[0])
    assert client.post(f"/portal/signin/{token}/").status_code == 302
    page = client.get("/portal/").content.decode()
    assert "A 的问题" in page
    assert AuditEvent.objects.filter(summary="portal sign-in wang@example.com").exists()


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, portal):
    known = client.post("/portal/login/", {"email": "wang@example.com"}).content.decode()
    unknown = client.post("/portal/login/", {"email": "nobody@example.com"}).content.decode()
    assert len(mail.outbox) == 1
    assert 'id="link-sent"' in known and 'id="link-sent"' in unknown


def test_too_many_requests_from_one_address_are_refused(client, portal, settings):
    settings.KEHU_LOGIN_FAILURES_PER_ADDRESS = 2
    for _ in range(2):
        assert client.post("/portal/login/", {"email": "nobody@example.com"}).status_code == 200
    tokens = PortalToken.objects.count()
    response = client.post("/portal/login/", {"email": "wang@example.com"})
    assert response.status_code == 429
    assert "Too many" in response.content.decode()
    assert mail.outbox == []
    assert PortalToken.objects.count() == tokens


def test_one_address_gets_at_most_three_links_in_the_window(client, portal):
    for _ in range(5):
        client.post("/portal/login/", {"email": "wang@example.com"})
    assert len(mail.outbox) == 3


def test_bad_address_is_a_400_naming_the_field(client, portal):
    response = client.post("/portal/login/", {"email": "not an address"})
    assert response.status_code == 400
    assert "valid email" in response.content.decode().lower()
    assert mail.outbox == []
