"""GET /customers: each role sees exactly its customers; analysts see them masked."""

from __future__ import annotations

import pytest

from kehu.customers import services
from tests.api.conftest import HIDDEN, SEES

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


@pytest.mark.parametrize("who", SEES)
def test_roles_that_may_see_alices_customer_find_it(api, org, who):
    assert org.customer.pk in ids(api(who).get("/customers"))


@pytest.mark.parametrize("who", HIDDEN)
def test_outsiders_do_not_find_it(api, org, who):
    assert org.customer.pk not in ids(api(who).get("/customers"))


def test_outsider_sees_own_customers_only(api, org):
    south = services.customer_create(by=org.charlie, owner=org.charlie, name="王芳")
    assert ids(api("charlie").get("/customers")) == {south.pk}
    assert south.pk not in ids(api("alice").get("/customers"))


def test_partner_sees_only_customers_shared_with_its_partner(api, org):
    services.customer_create(by=org.alice, owner=org.alice, name="Not shared")
    assert ids(api("pat").get("/customers")) == {org.customer.pk}
    assert ids(api("quinn").get("/customers")) == set()


def test_analyst_rows_are_masked(api, org):
    row = api("ana").get("/customers").json()["items"][0]
    assert row["masked"] is True
    assert row["phone"].endswith("8000") and "138001" not in row["phone"]
    assert row["email"].startswith("z*") and row["email"].endswith("@example.com")


def test_unauthenticated_is_401(api):
    assert api(None).get("/customers").status_code == 401


def test_archived_customers_are_listed_only_on_request(api, org):
    services.customer_archive(customer=org.customer, by=org.mia)
    assert org.customer.pk not in ids(api("alice").get("/customers"))
    assert ids(api("alice").get("/customers", {"archived": "true"})) == {org.customer.pk}
