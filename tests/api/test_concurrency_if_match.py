"""PATCH honours If-Match: a client that read the customer before someone else changed it
is refused with 412 and the fields changed in between; nothing is stored. GET and PATCH
answer the version as the ETag."""

from __future__ import annotations

import json

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def _patch(client, pk, data, if_match=None):
    headers = {} if if_match is None else {"If-Match": if_match}
    return client.client.patch(
        f"/api/v1/customers/{pk}",
        json.dumps(data),
        content_type="application/json",
        headers=headers,
    )


def test_get_answers_the_version_as_etag(api, org):
    response = api("alice").get(f"/customers/{org.customer.pk}")
    assert response["ETag"] == '"1"'
    assert response.json()["version"] == 1


def test_patch_with_current_etag_applies_and_answers_the_next(api, org):
    alice = api("alice")
    etag = alice.get(f"/customers/{org.customer.pk}")["ETag"]
    response = _patch(alice, org.customer.pk, {"city": "北京"}, if_match=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"' and response.json()["version"] == 2
    assert Customer.objects.get(pk=org.customer.pk).city == "北京"


def test_stale_patch_is_412_with_what_changed_and_stores_nothing(api, org):
    pk = org.customer.pk
    alice, bob = api("alice"), api("bob")
    etag = alice.get(f"/customers/{pk}")["ETag"]
    assert _patch(bob, pk, {"city": "广州"}, if_match=etag).status_code == 200
    events = AuditEvent.objects.count()

    response = _patch(alice, pk, {"city": "北京", "name": "张三"}, if_match=etag)

    assert response.status_code == 412
    body = response.json()
    assert body["current_version"] == 2 and response["ETag"] == '"2"'
    (change,) = body["changes"]
    assert change["field"] == "city" and change["then"] == "上海" and change["now"] == "广州"
    assert change["label"]
    customer = Customer.objects.get(pk=pk)
    assert (customer.city, customer.name, customer.version) == ("广州", "张伟", 2)
    assert AuditEvent.objects.count() == events


def test_weak_and_listed_etags_match(api, org):
    alice = api("alice")
    assert _patch(alice, org.customer.pk, {"city": "a"}, if_match='W/"1"').status_code == 200
    assert _patch(alice, org.customer.pk, {"city": "b"}, if_match='"7", "2"').status_code == 200
    assert _patch(alice, org.customer.pk, {"city": "c"}, if_match="*").status_code == 200


def test_unreadable_if_match_matches_nothing(api, org):
    response = _patch(api("alice"), org.customer.pk, {"city": "x"}, if_match="yesterday")
    assert response.status_code == 412
    assert Customer.objects.get(pk=org.customer.pk).city == "上海"


def test_without_if_match_last_write_wins(api, org):
    # Documented in the schema: clients should send If-Match; without it nothing is checked.
    assert _patch(api("bob"), org.customer.pk, {"city": "a"}).status_code == 200
    assert _patch(api("alice"), org.customer.pk, {"city": "b"}).status_code == 200
    assert Customer.objects.get(pk=org.customer.pk).version == 3


def test_unchanged_patch_keeps_the_version(api, org):
    response = _patch(api("alice"), org.customer.pk, {"city": "上海"}, if_match='"1"')
    assert response.status_code == 200 and response["ETag"] == '"1"'


def test_schema_documents_if_match_and_412(api):
    schema = api(None).client.get("/api/v1/openapi.json").json()
    patch = schema["paths"]["/api/v1/customers/{customer_id}"]["patch"]
    assert "412" in patch["responses"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
