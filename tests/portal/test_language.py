"""The portal speaks Chinese and English, and a portal user may switch (the language switch is
not a staff page)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_sign_in_page_in_chinese(client, portal):
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/portal/login/").content.decode()
    assert "登录客户门户" in page and "给我发送登录链接" in page


def test_a_portal_user_switches_language(client, portal):
    client.force_login(portal.wang)
    response = client.post("/language/", {"language": "zh-hans", "next": "/portal/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    portal.wang.profile.refresh_from_db()
    assert portal.wang.profile.language == "zh-hans"
    page = client.get("/portal/").content.decode()
    assert "我的工单" in page and "新建工单" in page
    client.post("/language/", {"language": "en", "next": "/portal/"})
    assert "My tickets" in client.get("/portal/").content.decode()
