"""PATCH /customers/{id}: editors who see the customer change it; the rest 403/404."""

from __future__ import annotations

import pytest

from kehu.customers import services
from tests.api.conftest import EDITORS, HIDDEN, NOT_EDITORS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", EDITORS)
def test_editors_who_see_it_update(api, org, who):
    response = api(who).patch(f"/customers/{org.customer.pk}", {"city": "苏州"})
    assert response.status_code == 200, response.content
    org.customer.refresh_from_db()
    assert org.customer.city == "苏州"


@pytest.mark.parametrize("who", NOT_EDITORS)
def test_roles_that_may_not_edit_get_403(api, org, who):
    response = api(who).patch(f"/customers/{org.customer.pk}", {"city": "苏州"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", HIDDEN)
def test_outsiders_get_404_or_403_never_a_change(api, org, who):
    response = api(who).patch(f"/customers/{org.customer.pk}", {"city": "苏州"})
    # charlie may edit in general but not see this customer: 404; quinn's role may never
    # edit: 403, which says nothing about this customer.
    assert response.status_code == {"charlie": 404, "quinn": 403}[who]
    org.customer.refresh_from_db()
    assert org.customer.city == "上海"


def test_unauthenticated_is_401(api, org):
    assert api(None).patch(f"/customers/{org.customer.pk}", {"city": "x"}).status_code == 401


def test_only_sent_fields_change(api, org):
    api("alice").patch(f"/customers/{org.customer.pk}", {"name_en": "Zhang Wei"})
    org.customer.refresh_from_db()
    assert org.customer.name_en == "Zhang Wei"
    assert org.customer.phone == "+8613800138000"
    assert org.customer.city == "上海"


def test_null_empties_a_field_and_tags_replace(api, org):
    body = (
        api("alice").patch(f"/customers/{org.customer.pk}", {"email": None, "tags": ["VIP"]}).json()
    )
    assert body["email"] == "" and body["tags"] == ["VIP"]
    body = api("alice").patch(f"/customers/{org.customer.pk}", {"tags": []}).json()
    assert body["tags"] == []


def test_phone_is_validated_and_normalised(api, org):
    client = api("alice")
    bad = client.patch(f"/customers/{org.customer.pk}", {"phone": "call me"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "phone"]
    good = client.patch(f"/customers/{org.customer.pk}", {"phone": "021 6123 4567"})
    assert good.json()["phone"] == "+862161234567"


def test_name_cannot_be_emptied(api, org):
    response = api("alice").patch(f"/customers/{org.customer.pk}", {"name": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_owner_is_not_changed_here(api, org):
    response = api("mia").patch(f"/customers/{org.customer.pk}", {"owner_id": org.bob.pk})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]
    org.customer.refresh_from_db()
    assert org.customer.owner == org.alice


def test_archived_customer_must_be_restored_first(api, org):
    services.customer_archive(customer=org.customer, by=org.mia)
    response = api("alice").patch(f"/customers/{org.customer.pk}", {"city": "x"})
    assert response.status_code == 409
