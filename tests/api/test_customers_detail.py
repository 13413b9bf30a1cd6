"""GET /customers/{id}: visible → 200, not visible → 404 (never 403), analysts masked."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import HIDDEN, SEES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", SEES)
def test_visible_to(api, org, who):
    response = api(who).get(f"/customers/{org.customer.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "张伟"


@pytest.mark.parametrize("who", HIDDEN)
def test_hidden_customer_is_404(api, org, who):
    response = api(who).get(f"/customers/{org.customer.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_hidden_and_missing_look_the_same(api, org):
    hidden = api("charlie").get(f"/customers/{org.customer.pk}")
    missing = api("charlie").get("/customers/999999")
    assert (hidden.status_code, hidden.content) == (missing.status_code, missing.content)


def test_unauthenticated_is_401(api, org):
    assert api(None).get(f"/customers/{org.customer.pk}").status_code == 401


def test_analyst_sees_personal_data_masked(api, org):
    org.customer.birthday = dt.date(1980, 3, 4)
    org.customer.address = "南京路 100 号"
    org.customer.id_number = "310101198003041234"
    org.customer.save()
    body = api("ana").get(f"/customers/{org.customer.pk}").json()
    assert body["masked"] is True
    assert body["phone"] == "****8000"  # one mask everywhere (kehu.core.masking)
    assert body["email"] == "z****@example.com"
    assert body["birthday"] == "****-**-**"
    assert set(body["address"]) == {"*"}
    assert set(body["id_number"]) == {"*"}
    assert body["city"] == "上海"  # location for analysis stays


def test_others_see_personal_data(api, org):
    body = api("bob").get(f"/customers/{org.customer.pk}").json()
    assert body["masked"] is False
    assert body["phone"] == "+8613800138000"
    assert body["email"] == "zhang.wei@example.com"
