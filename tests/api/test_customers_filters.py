"""GET /customers: filters, ordering, paging, the page-size cap and a bounded query count."""

from __future__ import annotations

import datetime as dt
import typing

import pytest
from django.utils import timezone

from kehu.api.schemas import CustomerOrdering
from kehu.customers import selectors, services
from kehu.customers.models import Customer, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(org):
    """Alice's book: the org customer plus four more with grades, tiers, cities and tags."""
    vip = Tag.objects.create(name="VIP")
    golf = Tag.objects.create(name="golf")
    rows = [
        dict(name="Beta Ltd", kind="company", city="北京", grade="A", tier="key", is_core=True),
        dict(name="Gamma", city="北京", grade="B", tier="major", lifecycle_status="at_risk"),
        dict(name="Delta", city="广州", grade="C", tier="small", lifecycle_status="lost"),
        dict(name="Alpha", city="上海", grade="A", tier="ordinary"),
    ]
    made = {}
    for fields in rows:
        made[fields["name"]] = services.customer_create(by=org.alice, owner=org.alice, **fields)
    made["Beta Ltd"].tags.set([vip, golf])
    made["Gamma"].tags.set([vip])
    return made


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["items"]]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"grade": "A"}, {"Beta Ltd", "Alpha"}),
        ({"tier": "major"}, {"Gamma"}),
        ({"status": "lost"}, {"Delta"}),
        ({"city": "北京"}, {"Beta Ltd", "Gamma"}),
        ({"tag": "VIP"}, {"Beta Ltd", "Gamma"}),
        ({"tag": ["VIP", "golf"]}, {"Beta Ltd"}),
        ({"core": "true"}, {"Beta Ltd"}),
        ({"q": "Gamma"}, {"Gamma"}),
        ({"q": "zhangwei"}, {"张伟"}),
        ({"q": "8000"}, {"张伟"}),
        ({"grade": "A", "city": "上海"}, {"Alpha"}),
    ],
)
def test_filters(api, book, params, expected):
    assert set(names(api("alice").get("/customers", params))) == expected


def test_owner_and_team_filters(api, org, book):
    services.customer_create(by=org.bob, owner=org.bob, name="Bob's")
    client = api("mia")
    assert names(client.get("/customers", {"owner": org.bob.pk})) == ["Bob's"]
    assert len(names(client.get("/customers", {"team": org.north.pk}))) == 6
    assert names(client.get("/customers", {"team": org.south.pk})) == []


def test_updated_since(api, org, book):
    past = timezone.now() - dt.timedelta(days=3)
    Customer.objects.exclude(name="Delta").update(updated_at=past)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert names(api("alice").get("/customers", {"updated_since": since})) == ["Delta"]


def test_ordering(api, book):
    client = api("alice")
    ordered = names(client.get("/customers", {"ordering": "name"}))
    assert ordered == sorted(ordered)
    assert names(client.get("/customers", {"ordering": "-name"})) == ordered[::-1]
    newest_first = names(client.get("/customers"))
    assert newest_first[0] == "Alpha"
    assert names(client.get("/customers", {"ordering": "updated"}))[0] == "张伟"


def test_unknown_ordering_is_422(api, book):
    response = api("alice").get("/customers", {"ordering": "password"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "ordering"]


def test_every_selector_sort_is_offered():
    offered = set(typing.get_args(CustomerOrdering))
    assert set(selectors.SORTS) <= offered
    assert offered - set(selectors.SORTS) == {"updated", "-updated"}


def test_paging_walks_every_row_once(api, book):
    client = api("alice")
    seen, offset = [], 0
    while offset is not None:
        body = client.get("/customers", {"limit": 2, "offset": offset, "ordering": "id"}).json()
        assert body["count"] == 5 and body["count_is_capped"] is False
        assert len(body["items"]) <= 2
        seen += [row["id"] for row in body["items"]]
        offset = body["next_offset"]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize("limit", [0, 201, -1, "x"])
def test_page_size_is_capped(api, book, limit):
    assert api("alice").get("/customers", {"limit": limit}).status_code == 422


def test_list_query_count_does_not_grow_with_rows(api, org, book, django_assert_max_num_queries):
    """No N+1: owner, team, partner, tags and contact points come in a fixed number of
    queries (the contact points' prefetch is the seventh)."""
    client = api("mia")  # a manager: the visibility rule itself needs the most queries
    for i in range(30):
        customer = services.customer_create(by=org.bob, owner=org.bob, name=f"Extra {i}")
        customer.tags.set(Tag.objects.all())
    client.get("/customers")  # first use writes last_used_at; measure steady state
    with django_assert_max_num_queries(7):
        response = client.get("/customers", {"limit": 50})
    assert len(response.json()["items"]) == 35
