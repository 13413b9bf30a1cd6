"""The OpenAPI schema states the validators' rules: choices as enums taken from the model,
the documented error answers with their shapes, and the If-Match precondition."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def _enum(prop: dict) -> list[str]:
    for option in prop.get("anyOf", [prop]):
        if "enum" in option:
            return option["enum"]
    raise AssertionError(prop)


def test_choices_are_enums_from_the_model(schema):
    patch = schema["components"]["schemas"]["CustomerPatch"]["properties"]
    assert _enum(patch["kind"]) == [v for v, _ in Customer.Kind.choices]
    assert _enum(patch["source"]) == [v for v, _ in Customer.Source.choices]
    interaction = schema["components"]["schemas"]["InteractionIn"]["properties"]
    assert "phone" in _enum(interaction["channel"])


def test_error_answers_are_documented(schema):
    paths = schema["paths"]
    listed = paths["/api/v1/customers"]["get"]["responses"]
    assert {"400", "401", "404", "422"} <= set(listed)
    patch = paths["/api/v1/customers/{customer_id}"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "409", "412", "422"} <= set(patch)
    assert "PreconditionFailed" in str(patch["412"])
    assert "ValidationErrorOut" in str(patch["422"])


def test_lengths_and_date_ranges_are_stated(schema):
    patch = schema["components"]["schemas"]["CustomerPatch"]["properties"]
    assert "maxLength" in str(patch["name"])
    query = schema["paths"]["/api/v1/interactions"]["get"]["parameters"]
    since = next(p for p in query if p["name"] == "since")
    assert "1900" in str(since)
