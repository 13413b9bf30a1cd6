"""/account/tokens/: a signed-in user lists, creates (shown once) and revokes their own."""

from __future__ import annotations

import pytest
from django.test import Client

from kehu.api.auth import digest_of, issue_token
from kehu.core.models import ApiToken

pytestmark = pytest.mark.django_db
PAGE = "/account/tokens/"


@pytest.fixture
def alice_browser(org):
    client = Client()
    client.force_login(org.alice)
    return client


def test_sign_in_required(org):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_lists_only_own_tokens(org, alice_browser):
    issue_token(user=org.alice, name="alice-sync")
    issue_token(user=org.bob, name="bob-secret-job")
    html = alice_browser.get(PAGE).content.decode()
    assert "alice-sync" in html and "bob-secret-job" not in html


def test_create_shows_the_token_once_and_it_works(org, alice_browser):
    response = alice_browser.post(PAGE, {"name": "ERP sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["new_token"]
    token = ApiToken.objects.get(user=org.alice, name="ERP sync")
    assert token.digest == digest_of(raw)
    assert raw in response.content.decode()
    again = alice_browser.get(PAGE).content.decode()
    assert raw not in again and token.prefix in again
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/me").json()["username"] == "alice"


def test_revoke_own_token(org, alice_browser):
    token, raw = issue_token(user=org.alice, name="old")
    response = alice_browser.post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me").status_code == 401


def test_cannot_revoke_someone_elses_token(org, alice_browser):
    token, _raw = issue_token(user=org.bob, name="bob's")
    assert alice_browser.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(org, alice_browser):
    token, _raw = issue_token(user=org.alice, name="t")
    assert alice_browser.get(f"{PAGE}{token.pk}/revoke/").status_code == 405


def test_create_needs_csrf(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.alice)
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_number_of_active_tokens_is_capped(org, alice_browser, settings):
    from kehu.api import views

    for i in range(views.MAX_ACTIVE_TOKENS):
        issue_token(user=org.alice, name=f"t{i}")
    assert alice_browser.post(PAGE, {"name": "one too many"}).status_code == 400
    assert not ApiToken.objects.filter(name="one too many").exists()
