"""Brute force on one account: after five wrong passwords from one address that account is
locked for that address, even for the right password; its owner elsewhere is not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kehu.core.models import AuditEvent, SignInThrottle

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
PASSWORD = "password-for-tests"


def attempt(client, username, password, address):
    # The login page follows KEHU_LANGUAGE, not Accept-Language: choose English by cookie.
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, org):
    for _ in range(50):
        attempt(client, "alice", "wrong-password", ATTACKER)
    response = attempt(client, "alice", PASSWORD, ATTACKER)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()


@pytest.mark.django_db
def test_lock_needs_five_failures_and_is_only_for_that_address(client, org):
    for _ in range(4):
        attempt(client, "alice", "wrong-password", ATTACKER)
    # Four failures: the right password still works (and clears the count).
    assert attempt(client, "alice", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    for _ in range(5):
        attempt(client, "alice", "wrong-password", ATTACKER)
    assert attempt(client, "alice", PASSWORD, ATTACKER).status_code == 200
    # The owner at another address signs in: a flood cannot lock them out.
    assert attempt(client, "alice", PASSWORD, OWNER).status_code == 302


@pytest.mark.django_db
def test_lock_expires_and_the_next_one_is_longer(client, org):
    for _ in range(5):
        attempt(client, "alice", "wrong-password", ATTACKER)
    row = SignInThrottle.objects.get(scope="account", key=f"alice|{ATTACKER}")
    first = row.locked_until - timezone.now()
    assert dt.timedelta(seconds=50) < first <= dt.timedelta(minutes=1)
    # The lock is over: five more failures lock for twice as long.
    SignInThrottle.objects.filter(pk=row.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    for _ in range(5):
        attempt(client, "alice", "wrong-password", ATTACKER)
    row.refresh_from_db()
    second = row.locked_until - timezone.now()
    assert dt.timedelta(seconds=110) < second <= dt.timedelta(minutes=2)
    assert row.lockouts == 2


def errors(response) -> str:
    body = response.content.decode()
    start = body.index('<div class="errors"')
    return body[start : body.index("</div>", start)]


@pytest.mark.django_db
def test_unknown_user_gets_the_same_messages(client, org):
    wrong_real = errors(attempt(client, "alice", "wrong-password", ATTACKER))
    wrong_unknown = errors(attempt(client, "nobody", "wrong-password", ATTACKER))
    assert wrong_real == wrong_unknown
    for _ in range(5):
        attempt(client, "alice", "wrong-password", OWNER)
        attempt(client, "nobody", "wrong-password", OWNER)
    locked_real = errors(attempt(client, "alice", PASSWORD, OWNER))
    locked_unknown = errors(attempt(client, "nobody", "anything", OWNER))
    assert locked_real == locked_unknown != wrong_real


@pytest.mark.django_db
def test_lockout_is_audited(client, org):
    for _ in range(5):
        attempt(client, "alice", "wrong-password", ATTACKER)
    event = AuditEvent.objects.get(action="lockout")
    assert event.model == "auth.user"
    assert event.object_id == str(org.alice.pk)
    assert event.user is None
    assert event.changes["key"] == f"alice|{ATTACKER}"


@pytest.mark.django_db
def test_lock_message_is_translated(client, org):
    for _ in range(5):
        attempt(client, "alice", "wrong-password", ATTACKER)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    body = attempt(client, "alice", PASSWORD, ATTACKER).content.decode()
    assert "登录失败次数过多" in body
