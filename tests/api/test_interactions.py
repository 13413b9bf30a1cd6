"""Interactions: per customer and across visible customers; logged by staff and partners."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.customers import services
from kehu.customers.models import Interaction
from tests.api.conftest import HIDDEN, SEES

pytestmark = pytest.mark.django_db

CALL = {"channel": "phone", "subject": "Asked about the new model", "duration_minutes": 5}


@pytest.fixture
def calls(org):
    first = services.interaction_log(
        customer=org.customer, by=org.alice, channel="phone", subject="First call"
    )
    south = services.customer_create(by=org.charlie, owner=org.charlie, name="South Co")
    other = services.interaction_log(
        customer=south, by=org.charlie, channel="store", subject="South visit"
    )
    return first, other


@pytest.mark.parametrize("who", SEES)
def test_visible_customer_interactions_are_listed(api, org, calls, who):
    response = api(who).get(f"/customers/{org.customer.pk}/interactions")
    assert response.status_code == 200
    assert [row["subject"] for row in response.json()["items"]] == ["First call"]


@pytest.mark.parametrize("who", HIDDEN)
def test_hidden_customer_is_404(api, org, calls, who):
    assert api(who).get(f"/customers/{org.customer.pk}/interactions").status_code == 404


def test_global_list_covers_only_visible_customers(api, org, calls):
    first, other = calls
    assert {r["id"] for r in api("alice").get("/interactions").json()["items"]} == {first.pk}
    assert {r["id"] for r in api("charlie").get("/interactions").json()["items"]} == {other.pk}
    assert {r["id"] for r in api("sam").get("/interactions").json()["items"]} == {
        first.pk,
        other.pk,
    }
    assert api("quinn").get("/interactions").json()["items"] == []


def test_global_list_filters(api, org, calls):
    client = api("root")
    store = client.get("/interactions", {"channel": "store"}).json()["items"]
    assert [r["subject"] for r in store] == ["South visit"]
    mine = client.get("/interactions", {"customer": org.customer.pk}).json()["items"]
    assert [r["subject"] for r in mine] == ["First call"]
    by_alice = client.get("/interactions", {"user": org.alice.pk}).json()["items"]
    assert [r["subject"] for r in by_alice] == ["First call"]
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert client.get("/interactions", {"since": later}).json()["items"] == []


def test_single_interaction_follows_visibility(api, org, calls):
    first, _other = calls
    assert api("pat").get(f"/interactions/{first.pk}").status_code == 200
    assert api("charlie").get(f"/interactions/{first.pk}").status_code == 404


def test_unauthenticated_is_401(api, org):
    assert api(None).get("/interactions").status_code == 401
    assert api(None).get(f"/customers/{org.customer.pk}/interactions").status_code == 401


@pytest.mark.parametrize("who", ["alice", "bob", "mia", "sam", "pat", "root"])
def test_loggers_who_see_the_customer_create(api, org, who):
    response = api(who).post(f"/customers/{org.customer.pk}/interactions", CALL)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["username"] == who
    assert body["direction"] == "out"


def test_department_defaults_from_role_and_partner_is_recorded(api, org):
    body = api("pat").post(f"/customers/{org.customer.pk}/interactions", CALL).json()
    assert body["department"] == "partner" and body["partner"]["name"] == "Partner One"
    body = api("sam").post(f"/customers/{org.customer.pk}/interactions", CALL).json()
    assert body["department"] == "service" and body["partner"] is None


def test_analyst_gets_403(api, org):
    response = api("ana").post(f"/customers/{org.customer.pk}/interactions", CALL)
    assert response.status_code == 403
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("who", HIDDEN)
def test_outsiders_get_404(api, org, who):
    response = api(who).post(f"/customers/{org.customer.pk}/interactions", CALL)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"channel": "pigeon"}, "channel"),
        ({"channel": ""}, "channel"),
        ({"outcome": "maybe"}, "outcome"),
        ({"subject": "   "}, "subject"),
        ({"occurred_at": "2999-01-01T10:00:00+08:00"}, "occurred_at"),
        ({"duration_minutes": 100000}, "duration_minutes"),
    ],
)
def test_invalid_interactions_are_422(api, org, payload, field):
    response = api("alice").post(f"/customers/{org.customer.pk}/interactions", {**CALL, **payload})
    assert response.status_code == 422, response.content
    assert ["body", field] in [item["loc"] for item in response.json()["detail"]]
