"""The API takes a division code and fills the names from it; names typed without a code
get the code of the level they name (or none abroad); an unknown code is a 422 naming the
field, with nothing changed (issue #12)."""

from __future__ import annotations

import pytest

from tests.api.conftest import api  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_code_sets_the_names(api, org):  # noqa: F811
    response = api("alice").patch(f"/customers/{org.customer.pk}", {"division_code": "310104"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["province"], body["city"], body["district"]) == ("上海市", "上海市", "徐汇区")
    assert body["division_code"] == "310104"


def test_names_without_code_get_the_matching_code(api, org):  # noqa: F811
    data = {"province": "广东省", "city": "深圳市", "district": "南山区"}
    body = api("alice").patch(f"/customers/{org.customer.pk}", data).json()
    assert body["division_code"] == "440305"
    abroad = {"province": "Bayern", "city": "München", "district": ""}
    body = api("alice").patch(f"/customers/{org.customer.pk}", abroad).json()
    assert body["division_code"] == "" and body["city"] == "München"


def test_unknown_code_is_422_and_changes_nothing(api, org):  # noqa: F811
    version = org.customer.version
    response = api("alice").patch(f"/customers/{org.customer.pk}", {"division_code": "999999"})
    assert response.status_code == 422
    assert "division_code" in str(response.json()["detail"])
    org.customer.refresh_from_db()
    assert org.customer.version == version and org.customer.division_code == ""
