"""Self-service password change: the old password is needed, the policy applies, the
session survives the change, and the page is reachable from the profile."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_change_password(client, org):
    client.force_login(org.alice)
    assert reverse("password_change") in client.get(reverse("profile")).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "password-for-tests",
            "new_password1": "Unusual-Walrus-93",
            "new_password2": "Unusual-Walrus-93",
        },
    )
    assert response.status_code == 302
    org.alice.refresh_from_db()
    assert org.alice.check_password("Unusual-Walrus-93")
    assert client.get(reverse("customers:list")).status_code == 200


@pytest.mark.django_db
def test_wrong_old_or_weak_new_password_refused(client, org):
    client.force_login(org.alice)
    for old, new in [("wrong", "Unusual-Walrus-93"), ("password-for-tests", "kehu-demo")]:
        response = client.post(
            reverse("password_change"),
            {"old_password": old, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 200
    org.alice.refresh_from_db()
    assert org.alice.check_password("password-for-tests")


@pytest.mark.django_db
def test_page_in_chinese(client, org):
    client.force_login(org.alice)
    body = client.get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "修改密码" in body.decode()
