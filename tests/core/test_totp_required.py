"""KEHU_REQUIRE_2FA: a manager without an authenticator can only reach the set-up page;
reps are not affected; bearer tokens are not affected."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.api.auth import issue_token


@pytest.mark.django_db
def test_required_sends_manager_to_setup(client, org, settings):
    settings.KEHU_REQUIRE_2FA = True
    client.force_login(org.mia)
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302
    assert response.url == reverse("two_factor")
    assert client.get(reverse("two_factor")).status_code == 200
    assert client.get("/api/v1/me").status_code == 403
    _token, raw = issue_token(user=org.mia, name="script")
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.django_db
def test_not_required_by_default_nor_for_reps(client, org, settings):
    client.force_login(org.mia)
    assert client.get(reverse("customers:list")).status_code == 200
    settings.KEHU_REQUIRE_2FA = True
    client.force_login(org.alice)
    assert client.get(reverse("customers:list")).status_code == 200
