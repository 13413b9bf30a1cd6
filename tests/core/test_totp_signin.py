"""Two-factor sign-in with a frozen clock: enrol, confirm, sign in with a code or a recovery
code; the password alone never makes the session signed in; API tokens are unaffected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kehu.api.auth import issue_token
from kehu.core import totp
from kehu.core.models import RecoveryCode, TotpDevice

FROZEN = dt.datetime(2025, 3, 1, 9, 30, 15, tzinfo=dt.UTC)
PASSWORD = "password-for-tests"


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock(FROZEN)
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture
def frozen(clock):
    return FROZEN


def code_at(secret, at):
    return totp.totp(totp.secret_bytes(secret), at)


def enrol(client, user, at, clock=None):
    if clock is not None:
        clock.at = at
    client.force_login(user)
    client.post(reverse("two_factor"), {"action": "start"})
    secret = TotpDevice.objects.get(user=user).secret
    page = client.get(reverse("two_factor")).content.decode()
    assert secret in page and "otpauth://totp/" in page
    response = client.post(
        reverse("two_factor"), {"action": "confirm", "code": code_at(secret, at)}
    )
    client.logout()
    if clock is not None:
        clock.at = FROZEN
    return secret, response


@pytest.mark.django_db
def test_enrolment_shows_recovery_codes_once_and_stores_them_hashed(client, org, frozen):
    secret, response = enrol(client, org.mia, frozen)
    codes = response.context["codes"]
    assert len(codes) == 10
    stored = set(RecoveryCode.objects.filter(user=org.mia).values_list("digest", flat=True))
    assert not any(code in stored for code in codes)
    assert TotpDevice.objects.get(user=org.mia).confirmed_at == frozen


@pytest.mark.django_db
def test_wrong_confirmation_code_does_not_enable(client, org, frozen):
    client.force_login(org.mia)
    client.post(reverse("two_factor"), {"action": "start"})
    client.post(reverse("two_factor"), {"action": "confirm", "code": "000000"})
    assert totp.enabled_device(org.mia) is None
    assert not RecoveryCode.objects.filter(user=org.mia).exists()


@pytest.mark.django_db
def test_password_alone_does_not_sign_in(client, org, frozen):
    enrol(client, org.mia, frozen)
    response = client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    assert response.url == reverse("login_verify")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("customers:list")).status_code == 302


@pytest.mark.django_db
def test_second_step_with_code_signs_in_and_code_cannot_be_replayed(client, org, clock, frozen):
    secret, _ = enrol(client, org.mia, frozen - dt.timedelta(minutes=5), clock)
    client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    wrong = client.post(reverse("login_verify"), {"code": "123456"})
    assert "_auth_user_id" not in client.session
    assert wrong.status_code == 200
    ok = client.post(reverse("login_verify"), {"code": code_at(secret, frozen)})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(org.mia.pk)
    client.logout()
    client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    client.post(reverse("login_verify"), {"code": code_at(secret, frozen)})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_recovery_code_works_once(client, org, frozen):
    _secret, response = enrol(client, org.mia, frozen)
    recovery = response.context["codes"][0]
    client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    client.post(reverse("login_verify"), {"code": recovery})
    assert client.session["_auth_user_id"] == str(org.mia.pk)
    client.logout()
    client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    client.post(reverse("login_verify"), {"code": recovery})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_second_step_failures_are_throttled(client, org, clock, frozen):
    secret, _ = enrol(client, org.mia, frozen - dt.timedelta(minutes=5), clock)
    client.post(reverse("login"), {"username": "mia", "password": PASSWORD})
    for i in range(5):
        client.post(reverse("login_verify"), {"code": f"{i:06d}"}, REMOTE_ADDR="203.0.113.3")
    locked = client.post(
        reverse("login_verify"),
        {"code": code_at(secret, frozen)},
        REMOTE_ADDR="203.0.113.3",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in locked.content.decode()


@pytest.mark.django_db
def test_disable_needs_the_password(client, org, frozen):
    enrol(client, org.mia, frozen)
    client.force_login(org.mia)
    client.post(reverse("two_factor"), {"action": "disable", "password": "wrong"})
    assert totp.enabled_device(org.mia) is not None
    client.post(reverse("two_factor"), {"action": "disable", "password": PASSWORD})
    assert totp.enabled_device(org.mia) is None
    assert not RecoveryCode.objects.filter(user=org.mia).exists()


@pytest.mark.django_db
def test_api_token_unaffected(client, org, frozen):
    enrol(client, org.mia, frozen)
    _token, raw = issue_token(user=org.mia, name="script")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.django_db
def test_offered_to_admins_and_managers_only(client, org):
    client.force_login(org.alice)
    client.post(reverse("two_factor"), {"action": "start"})
    assert not TotpDevice.objects.filter(user=org.alice).exists()
