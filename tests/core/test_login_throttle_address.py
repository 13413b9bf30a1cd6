"""Password spraying: one address trying many accounts is locked across accounts, and a
successful sign-in to an account of its own does not clear that count."""

from __future__ import annotations

import pytest
from django.urls import reverse

SPRAYER = "203.0.113.9"


def attempt(client, username, password, address=SPRAYER):
    # The login page follows KEHU_LANGUAGE, not Accept-Language: choose English by cookie.
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_address_trying_many_accounts_is_locked(client, org):
    names = ["alice", "bob", "charlie", "mia", "sam", "ana", "pat", "quinn", "root", "x"]
    for name in names * 2:  # 20 failures, at most 2 per account
        attempt(client, name, "wrong-password")
    response = attempt(client, "bob", "password-for-tests")
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()
    # Another address is not affected.
    assert attempt(client, "bob", "password-for-tests", "192.0.2.1").status_code == 302


@pytest.mark.django_db
def test_success_does_not_reset_the_address_count(client, org):
    names = ["bob", "charlie", "mia", "sam", "ana"]
    for i in range(19):
        attempt(client, names[i % len(names)], "wrong-password")
        if i == 10:
            assert attempt(client, "alice", "password-for-tests").status_code == 302
            client.logout()
    attempt(client, "quinn", "wrong-password")  # the 20th failure
    assert attempt(client, "alice", "password-for-tests").status_code == 200
