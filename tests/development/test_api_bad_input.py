"""Bad input to the leads API is a 4xx naming the field, never a 500, and saves nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import api  # noqa: F401
from tests.development.conftest import snapshot


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": "甲", "phone": "123", "source": "press"}, "phone"),
        ({"name": "甲", "phone": "13812345678", "source": "tv"}, "source"),
        ({"name": "", "phone": "13812345678", "source": "press"}, "name"),
        ({"phone": "13812345678", "source": "press"}, "name"),
        ({"name": "甲", "email": "nope", "source": "press"}, "email"),
        ({"name": "甲", "source": "press", "referred_by_id": 999999}, "referred_by_id"),
        ({"name": "甲", "source": "press", "owner": 1}, "owner"),
        ({"name": "甲", "source": "press", "grade": "Z"}, "grade"),
        ({"name": "甲\x00", "source": "press"}, "name"),
    ],
)
def test_create_refused_with_field(api, org, body, field):  # noqa: F811
    before = snapshot()
    r = api("alice").post("/leads", body)
    assert r.status_code == 422, r.content
    assert any(field in item["loc"] for item in r.json()["detail"]), r.json()
    assert snapshot() == before


@pytest.mark.parametrize(
    "body,field",
    [({"money": "maybe"}, "money"), ({"need": None}, "need"), ({"qualified": True}, "qualified")],
)
def test_patch_refused_with_field(api, org, leads, body, field):  # noqa: F811
    before = snapshot()
    r = api("alice").patch(f"/leads/{leads.north.pk}", body)
    assert r.status_code == 422, r.content
    assert any(field in item["loc"] for item in r.json()["detail"]), r.json()
    assert snapshot() == before


def test_convert_unqualified_names_the_answers(api, org, leads):  # noqa: F811
    before = snapshot()
    r = api("alice").post(f"/leads/{leads.north.pk}/convert")
    assert r.status_code == 422
    assert {item["loc"][-1] for item in r.json()["detail"]} == {"money", "authority", "need"}
    assert snapshot() == before


def test_not_json_is_a_4xx(api, org):  # noqa: F811
    r = api("alice").raw_post("/leads", "{not json")
    assert 400 <= r.status_code < 500


@pytest.mark.parametrize(
    "body,status",
    [("{nope", 400), ('{"customer_id": "x"}', 422), ('{"into": 1}', 422), ("[1]", 422)],
)
def test_convert_bad_body(api, org, leads, body, status):  # noqa: F811
    from tests.development.conftest import qualify_all

    qualify_all(leads.north, org.alice)
    before = snapshot()
    r = api("alice").raw_post(f"/leads/{leads.north.pk}/convert", body)
    assert r.status_code == status, r.content
    assert snapshot() == before
