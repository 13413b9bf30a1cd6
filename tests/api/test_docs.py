"""The OpenAPI schema and the docs page, which must work without internet access."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_every_endpoint():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Kehu API"
    paths = set(schema["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/customers/{customer_id}/archive",
        "/api/v1/customers/{customer_id}/restore",
        "/api/v1/customers/{customer_id}/relations",
        "/api/v1/customers/{customer_id}/relations/{relation_id}",
        "/api/v1/interactions",
        "/api/v1/interactions/{interaction_id}",
        "/api/v1/customers/{customer_id}/interactions",
        "/api/v1/customers/{customer_id}/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/customers/{customer_id}/invoices",
        "/api/v1/invoices/{invoice_id}",
        "/api/v1/customers/{customer_id}/payments",
        "/api/v1/invoices/{invoice_id}/payments",
    } <= paths
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_docs_page_loads_nothing_from_other_hosts():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html and "swagger-ui.css" in html
    external = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert external == []
    # Not a bare "cdn" substring: the page's random CSRF token may contain it.
    for host in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert host not in html
    assert '"validatorUrl": null' in html


@pytest.mark.parametrize(
    "path",
    [
        "vendor/swagger-ui/swagger-ui-bundle.js",
        "vendor/swagger-ui/swagger-ui.css",
        "vendor/swagger-ui/LICENSE",
        "api/swagger-init.js",
    ],
)
def test_docs_assets_are_served_from_our_static_files(path):
    assert finders.find(path) is not None
