"""POST /customers: a record that probably exists already is flagged before it is saved
(409 with the likely matches); the client may insist with allow_duplicate=true."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db

SAME_PERSON = {"name": "張偉", "phone": "138 0013 8000", "city": "上海"}


def test_probable_duplicate_refused_with_candidates(api, org):
    response = api("bob").post("/customers", SAME_PERSON)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"][0]["type"] == "duplicate"
    assert [d["customer_id"] for d in body["duplicates"]] == [org.customer.pk]
    assert body["duplicates"][0]["probability"] > 0.5
    assert Customer.objects.filter(name="張偉").count() == 0


def test_allow_duplicate_creates_anyway(api, org):
    response = api("bob").post("/customers?allow_duplicate=true", SAME_PERSON)
    assert response.status_code == 201
    assert Customer.objects.filter(name="張偉").count() == 1


def test_candidates_limited_to_visible_customers(api, org):
    # charlie cannot see alice's 张伟, so nothing about it may leak through the warning.
    response = api("charlie").post("/customers", SAME_PERSON)
    assert response.status_code == 201


def test_different_person_not_flagged(api, org):
    response = api("bob").post("/customers", {"name": "王芳", "phone": "139 0013 9000"})
    assert response.status_code == 201
