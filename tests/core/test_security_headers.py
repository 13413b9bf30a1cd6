"""Every response carries a strict Content-Security-Policy and the usual hardening headers;
pages and API answers to a signed-in caller are never cached; static files keep theirs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.api.auth import issue_token


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: value for name, value in pairs}


@pytest.mark.django_db
def test_login_page_has_strict_policy(client):
    response = client.get(reverse("login"))
    csp = csp_directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(client, org):
    client.force_login(org.alice)
    for url in [reverse("customers:list"), reverse("customers:detail", args=[org.customer.pk])]:
        cache = client.get(url).headers["Cache-Control"]
        assert "no-store" in cache and "private" in cache
    assert "no-store" in client.get("/api/v1/me").headers["Cache-Control"]


@pytest.mark.django_db
def test_token_api_answers_are_not_cached(client, org):
    _token, raw = issue_token(user=org.alice, name="script")
    response = client.get(
        f"/api/v1/customers/{org.customer.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_no_inline_scripts_or_handlers_in_pages(client, org):
    client.force_login(org.mia)
    for url in [
        reverse("customers:list"),
        reverse("customers:detail", args=[org.customer.pk]),
        reverse("profile"),
    ]:
        body = client.get(url).content.decode()
        for needle in (" onclick=", " onchange=", " onsubmit=", "javascript:"):
            assert needle not in body, (url, needle)
