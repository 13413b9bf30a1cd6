"""The UI is in Simplified Chinese or English; the choice follows the user."""

from __future__ import annotations

import pytest

from kehu.core.models import Profile

pytestmark = pytest.mark.django_db


def test_language_follows_profile(client, org):
    client.force_login(org.alice)
    assert "新建客户" in client.get("/customers/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.post("/language/", {"language": "en", "next": "/customers/"})
    assert Profile.objects.get(user=org.alice).language == "en"
    body = client.get("/customers/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "New customer" in body


def test_browser_language_used_without_choice(client, org):
    client.force_login(org.bob)
    assert "New customer" in client.get("/customers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_language_switch_rejects_foreign_redirect(client, org):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
