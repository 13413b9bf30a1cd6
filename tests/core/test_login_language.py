"""The login page speaks the deployment's language (KEHU_LANGUAGE), whatever the browser asks,
unless the visitor chose one (the language switch or a language cookie)."""

from __future__ import annotations

import pytest
from django.urls import reverse

CHINESE = "登录 Kehu"
ENGLISH = "Log in to Kehu"


def login_page(client) -> str:
    return client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "browser", "expected", "other"),
    [("zh-hans", "en", CHINESE, ENGLISH), ("en", "zh-hans", ENGLISH, CHINESE)],
)
def test_login_page_follows_kehu_language(client, settings, setting, browser, expected, other):
    settings.LANGUAGE_CODE = setting
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=browser).content.decode()
    assert expected in body
    assert other not in body


@pytest.mark.django_db
def test_language_cookie_wins_over_the_setting(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ENGLISH in login_page(client)


@pytest.mark.django_db
def test_language_switch_on_the_login_page_wins(client, settings):
    settings.LANGUAGE_CODE = "en"
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})
    assert CHINESE in login_page(client)
