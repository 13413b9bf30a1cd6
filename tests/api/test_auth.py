"""Bearer tokens and the browser session: who gets in, who does not, and what is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kehu.api.auth import digest_of, issue_token
from kehu.core.models import ApiToken

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_valid_token_authenticates_as_its_user(org):
    _token, raw = issue_token(user=org.alice, name="script")
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["role"] == "sales"


def test_only_digest_and_prefix_are_stored(org):
    token, raw = issue_token(user=org.alice, name="script")
    token.refresh_from_db()
    assert token.digest == digest_of(raw) and raw not in token.digest
    assert token.prefix == raw[:8]
    assert not ApiToken.objects.filter(digest=raw).exists()


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer not-a-token", "Basic YWxpY2U6eA==", "Token abc"],
)
def test_missing_or_unknown_credentials_are_401(org, header):
    headers = {"Authorization": header} if header is not None else {}
    response = Client(headers=headers).get("/api/v1/customers")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_refused(org, api):
    token, raw = issue_token(user=org.alice, name="old")
    token.revoked_at = timezone.now()
    token.save()
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_token_of_inactive_user_is_refused(org):
    _token, raw = issue_token(user=org.alice, name="script")
    org.alice.is_active = False
    org.alice.save()
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_last_used_at_is_recorded_at_most_once_a_minute(org):
    token, raw = issue_token(user=org.alice, name="script")
    assert token.last_used_at is None
    client = bearer(raw)
    client.get("/api/v1/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=5))
    client.get("/api/v1/me")
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=5)


def test_session_reads_work_for_the_signed_in_browser(org):
    client = Client()
    client.force_login(org.bob)
    response = client.get(f"/api/v1/customers/{org.customer.pk}")
    assert response.status_code == 200


def test_session_write_without_csrf_token_is_403(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.alice)
    response = client.post(
        "/api/v1/customers", '{"name": "No CSRF"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF check failed."


def test_session_write_with_csrf_token_works(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.alice)
    client.get("/api/v1/docs")  # any page that renders the token sets the cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/customers",
        '{"name": "With CSRF"}',
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201


def test_anonymous_write_is_401_not_403(org):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/customers", '{"name": "x"}', content_type="application/json"
    )
    assert response.status_code == 401


def test_me_describes_the_callers_permissions(api):
    me = api("ana").get("/me").json()
    assert me["role"] == "analyst"
    assert me["masked"] is True and me["can_edit"] is False
    me = api("pat").get("/me").json()
    assert me["partner"]["name"] == "Partner One" and me["can_log_interaction"] is True


def test_tokens_are_long_random_alphanumerics(org):
    raws = {issue_token(user=org.alice, name="t")[1] for _ in range(20)}
    assert len(raws) == 20
    assert all(len(raw) == 43 and raw.isalnum() and raw.isascii() for raw in raws)
