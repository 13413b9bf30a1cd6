"""A broad query (a city that starts tens of thousands of company names, a common surname)
is answered with a capped, ranked first page: the best-ranked matches, a count that stops
at the cap and says so, and a fixed number of queries however many customers match."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehu.api.auth import issue_token
from kehu.customers import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def shanghai(org, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_CAP", 3)
    create = lambda name: services.customer_create(by=org.alice, owner=org.alice, name=name)  # noqa: E731
    create("上海")  # exact, the oldest
    for n in range(5):
        create(f"上海第{n}贸易有限公司")  # prefix
    for n in range(3):
        create(f"浙江上海{n}物流有限公司")  # substring, the newest
    return org


def test_first_page_is_ranked_and_capped(client, shanghai):
    client.force_login(shanghai.alice)
    body = client.get("/customers/", {"q": "上海"}).content.decode()
    assert "3+" in body
    shown = re.findall(r'/customers/\d+/">([^<]+)</a>', body)
    # The exact match, then the newest prefix matches; the (newer) substring matches wait.
    assert shown[:4] == [
        "上海",
        "上海第4贸易有限公司",
        "上海第3贸易有限公司",
        "上海第2贸易有限公司",
    ]
    assert not any(name.startswith("浙江") for name in shown)


def test_api_count_is_capped(client, shanghai):
    _token, raw = issue_token(user=shanghai.alice, name="t")
    response = client.get(
        "/api/v1/customers", {"q": "上海"}, headers={"Authorization": f"Bearer {raw}"}
    ).json()
    assert response["count"] == 3 and response["count_is_capped"] is True
    assert response["items"][0]["name"] == "上海"
    assert all(not item["name"].startswith("浙江") for item in response["items"])


def test_below_the_cap_the_count_is_exact(client, shanghai):
    _token, raw = issue_token(user=shanghai.alice, name="t")
    response = client.get(
        "/api/v1/customers", {"q": "浙江上海"}, headers={"Authorization": f"Bearer {raw}"}
    ).json()
    assert response["count"] == 3 and response["count_is_capped"] is False


def test_queries_do_not_grow_with_the_matches(shanghai):
    def queries(q: str) -> int:
        filters = selectors.CustomerFilters(q=q)
        with CaptureQueriesContext(connection) as ctx:
            qs = selectors.customer_list(user=shanghai.alice, filters=filters)
            list(qs[:20])
            selectors.capped_count(qs)
        return len(ctx.captured_queries)

    few = queries("浙江上海")
    for n in range(20):
        services.customer_create(by=shanghai.alice, owner=shanghai.alice, name=f"上海{n}")
    assert queries("上海") <= few + 2


@pytest.mark.parametrize("probe", [2, 2_000])
def test_broad_keys_read_newest_first_give_the_same_page(shanghai, monkeypatch, probe):
    # PROBE 2: every tier takes the broad path (newest keys first, widening); 2,000: ids.
    from kehu.customers import search_index

    monkeypatch.setattr(search_index, "PROBE", probe)
    filters = selectors.CustomerFilters(q="上海")
    shown = [c.name for c in selectors.customer_list(user=shanghai.alice, filters=filters)]
    assert shown == ["上海", "上海第4贸易有限公司", "上海第3贸易有限公司", "上海第2贸易有限公司"]
    # Few of the keys visible to this user: the read widens until it has found them.
    services.customer_create(by=shanghai.bob, owner=shanghai.charlie, name="上海南方公司")
    south = [c.name for c in selectors.customer_list(user=shanghai.charlie, filters=filters)]
    assert south == ["上海南方公司"]
