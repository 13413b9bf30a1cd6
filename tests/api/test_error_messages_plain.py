"""A 422's messages are our validators' own words, without pydantic's "Value error, " prefix."""

import pytest

pytestmark = pytest.mark.django_db


def test_messages_have_no_pydantic_prefix(api):
    response = api("alice").get("/customers", {"updated_since": "0001-01-01T00:00:00+08:00"})
    assert response.status_code == 422
    messages = [item["msg"] for item in response.json()["detail"]]
    assert messages and all(m and not m.startswith("Value error") for m in messages), messages
