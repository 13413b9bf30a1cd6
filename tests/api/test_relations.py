"""Relations: listed from both ends, created and deleted by editors who see both customers."""

from __future__ import annotations

import pytest

from kehu.customers import services
from kehu.customers.models import Relation
from tests.api.conftest import EDITORS, HIDDEN, NOT_EDITORS, SEES

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(org):
    """A company in North, shared with P1 like the org customer, and a relation to it."""
    company = services.customer_create(
        by=org.alice, owner=org.bob, name="Zhang Holdings", kind="company"
    )
    services.customer_share(customer=company, partner=org.p1, by=org.mia)
    relation = services.relation_create(
        from_customer=company, to_customer=org.customer, kind="contact_at", by=org.alice
    )
    return company, relation


@pytest.mark.parametrize("who", SEES)
def test_listed_from_both_ends(api, org, group, who):
    company, relation = group
    client = api(who)
    here = client.get(f"/customers/{org.customer.pk}/relations")
    assert here.status_code == 200
    (row,) = here.json()
    assert row["id"] == relation.pk and row["direction"] == "in"
    assert row["other"] == {"id": company.pk, "name": "Zhang Holdings"}
    there = client.get(f"/customers/{company.pk}/relations").json()
    assert there[0]["direction"] == "out" and there[0]["kind"] == "contact_at"


@pytest.mark.parametrize("who", HIDDEN)
def test_hidden_customer_is_404(api, org, group, who):
    assert api(who).get(f"/customers/{org.customer.pk}/relations").status_code == 404


def test_relation_to_a_customer_you_cannot_see_is_left_out(api, org, group):
    company, _relation = group
    org.customer.shares.all().delete()  # P1 no longer sees the person, only the company
    assert api("pat").get(f"/customers/{company.pk}/relations").json() == []


def test_unauthenticated_is_401(api, org):
    assert api(None).get(f"/customers/{org.customer.pk}/relations").status_code == 401


@pytest.mark.parametrize("who", EDITORS)
def test_editors_create(api, org, group, who):
    company, _relation = group
    response = api(who).post(
        f"/customers/{company.pk}/relations",
        {"kind": "parent_of", "other_id": org.customer.pk, "since": "2020-01-01"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["direction"] == "out" and response.json()["label"]
    assert Relation.objects.filter(from_customer=company, kind="parent_of").exists()


@pytest.mark.parametrize("who", NOT_EDITORS + ["quinn"])
def test_roles_that_may_not_edit_get_403(api, org, group, who):
    company, _relation = group
    response = api(who).post(
        f"/customers/{company.pk}/relations", {"kind": "knows", "other_id": org.customer.pk}
    )
    assert response.status_code == 403


def test_outsider_gets_404(api, org, group):
    company, _relation = group
    response = api("charlie").post(
        f"/customers/{company.pk}/relations", {"kind": "knows", "other_id": org.customer.pk}
    )
    assert response.status_code == 404


def test_other_end_must_be_visible(api, org, group):
    south = services.customer_create(by=org.charlie, owner=org.charlie, name="South Co")
    response = api("alice").post(
        f"/customers/{org.customer.pk}/relations", {"kind": "knows", "other_id": south.pk}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "other_id"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"kind": "enemy_of"}, "kind"),
        ({"kind": "contact_at"}, "kind"),  # exists already (from the fixture)
        ({"kind": "knows", "since": "yesterday"}, "since"),
    ],
)
def test_bad_relations_are_422(api, org, group, payload, field):
    company, _relation = group
    response = api("alice").post(
        f"/customers/{company.pk}/relations", {"other_id": org.customer.pk, **payload}
    )
    assert response.status_code == 422
    assert ["body", field] in [item["loc"] for item in response.json()["detail"]]


def test_relation_to_itself_is_422(api, org):
    response = api("alice").post(
        f"/customers/{org.customer.pk}/relations", {"kind": "knows", "other_id": org.customer.pk}
    )
    assert response.status_code == 422


@pytest.mark.parametrize("who", EDITORS)
def test_editors_delete_from_either_end(api, org, group, who):
    _company, relation = group
    response = api(who).delete(f"/customers/{org.customer.pk}/relations/{relation.pk}")
    assert response.status_code == 204
    assert not Relation.objects.filter(pk=relation.pk).exists()


@pytest.mark.parametrize("who, status", [("ana", 403), ("pat", 403), ("charlie", 404)])
def test_others_may_not_delete(api, org, group, who, status):
    _company, relation = group
    response = api(who).delete(f"/customers/{org.customer.pk}/relations/{relation.pk}")
    assert response.status_code == status
    assert Relation.objects.filter(pk=relation.pk).exists()


def test_relation_of_another_customer_is_404(api, org, group):
    _company, relation = group
    other = services.customer_create(by=org.alice, owner=org.alice, name="Unrelated")
    response = api("alice").delete(f"/customers/{other.pk}/relations/{relation.pk}")
    assert response.status_code == 404
