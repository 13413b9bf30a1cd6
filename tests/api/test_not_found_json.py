"""Unknown paths and wrong methods under /api/v1/ answer in the API's JSON error shape, not
with Django's HTML pages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope",
        "/api/v1/customerz/1",
        "/api/v1/customers/1/nothing-here",
        "/api/v1/customers/",
        "/api/v1/",
    ],
)
def test_unknown_api_path_is_json_404(api, path):
    response = api("alice").client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_unknown_api_path_is_json_404_without_a_token(client):
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_wrong_method_is_json_405(api, org):
    response = api("alice").delete(f"/customers/{org.customer.pk}")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "PATCH" in response["Allow"] and "GET" in response["Allow"]
    assert "DELETE" in response.json()["detail"]


def test_known_paths_still_work(api, org):
    assert api("alice").get(f"/customers/{org.customer.pk}").status_code == 200
    assert api(None).client.get("/api/v1/openapi.json").status_code == 200
