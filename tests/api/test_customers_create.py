"""POST /customers: editors create (validated by the shared validators), others get 403."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer, SearchKey
from tests.api.conftest import EDITORS

pytestmark = pytest.mark.django_db

VALID = {
    "name": "李娜",
    "name_en": "Na Li",
    "phone": "138 0013 8001",
    "email": "Li.Na@Example.COM",
    "birthday": "1990/01/02",
    "gender": "F",
    "source": "referral",
    "city": "杭州",
    "tags": ["VIP", "golf", "VIP"],
    "aliases": ["Nana"],
}


@pytest.mark.parametrize("who", EDITORS)
def test_editors_create(api, org, who):
    response = api(who).post("/customers", VALID)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["username"] == who
    customer = Customer.objects.get(pk=body["id"])
    assert customer.created_by == getattr(org, who)


def test_values_are_normalised_like_the_forms_do(api, org):
    body = api("alice").post("/customers", VALID).json()
    assert body["phone"] == "+8613800138001"
    assert body["email"] == "Li.Na@example.com"
    assert body["birthday"] == "1990-01-02"
    assert body["tags"] == ["VIP", "golf"]
    assert body["team"]["name"] == "North"
    assert SearchKey.objects.filter(customer_id=body["id"], key="t:8613800138001").exists()


def test_choice_accepts_label(api):
    body = api("alice").post("/customers", {"name": "X", "source": "Referral"}).json()
    assert body["source"] == "referral"


@pytest.mark.parametrize("who", ["ana", "pat", "quinn"])
def test_roles_that_may_not_edit_get_403(api, who):
    response = api(who).post("/customers", VALID)
    assert response.status_code == 403
    assert not Customer.objects.filter(name="李娜").exists()


def test_unauthenticated_is_401(api):
    assert api(None).post("/customers", VALID).status_code == 401


def test_manager_may_create_for_another_owner(api, org):
    body = api("mia").post("/customers", {"name": "For Bob", "owner_id": org.bob.pk}).json()
    assert body["owner"]["username"] == "bob"


def test_rep_may_not_create_for_another_owner(api, org):
    response = api("alice").post("/customers", {"name": "For Bob", "owner_id": org.bob.pk})
    assert response.status_code == 403
    # Same answer for an id that is no user at all: nothing to learn about user ids.
    assert api("alice").post("/customers", {"name": "X", "owner_id": 987654}).status_code == 403


def test_owner_must_be_a_sales_user(api, org):
    response = api("mia").post("/customers", {"name": "X", "owner_id": org.pat.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]


def test_invalid_fields_are_all_reported(api):
    response = api("alice").post(
        "/customers",
        {"name": "X", "phone": "12", "email": "not-mail", "birthday": "1800-01-01"},
    )
    assert response.status_code == 422
    locs = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert locs == {("body", "phone"), ("body", "email"), ("body", "birthday")}
    assert not Customer.objects.filter(name="X").exists()


def test_duplicate_external_id_is_422_on_the_field(api):
    client = api("alice")
    assert client.post("/customers", {"name": "A", "external_id": "ERP-1"}).status_code == 201
    response = client.post("/customers", {"name": "B", "external_id": "ERP-1"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "external_id"]


def test_blank_external_ids_do_not_collide(api):
    client = api("alice")
    assert client.post("/customers", {"name": "A", "external_id": ""}).status_code == 201
    assert client.post("/customers", {"name": "B", "external_id": " "}).status_code == 201
