"""Quick search finds a customer by any form a user types: simplified or traditional
characters, pinyin (either order) and initials, phone in any format or its last digits,
e-mail; and never shows a customer the user may not see."""

from __future__ import annotations

import pytest

from kehu.customers import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "张伟",
        "張偉",  # traditional script finds the simplified record
        "张",
        "zhangwei",
        "zhang wei",
        "ZHANG",
        "zw",
        "Wei Zhang",
        "wei zhang",
        "138 0013 8000",
        "+86 138-0013-8000",
        "008613800138000",
        "13800138000",
        "8000",  # the call-centre habit: last digits
        "1380013",
        "zhang.wei@example.com",
        "Zhang.Wei@",
    ],
)
def test_finds_customer(client, org, query):
    client.force_login(org.alice)
    response = client.get("/customers/", {"q": query})
    assert response.status_code == 200
    assert "张伟" in response.content.decode(), query


@pytest.mark.parametrize("query", ["李娜", "lina", "13900000000", "someone@else.com"])
def test_does_not_find_others(client, org, query):
    client.force_login(org.alice)
    body = client.get("/customers/", {"q": query}).content.decode()
    assert "张伟" not in body


def test_search_respects_visibility(client, org):
    services.customer_create(by=org.charlie, owner=org.charlie, name="张伟强", phone="13900139000")
    client.force_login(org.alice)
    body = client.get("/customers/", {"q": "zhangwei"}).content.decode()
    assert "张伟" in body and "张伟强" not in body
    client.force_login(org.charlie)
    body = client.get("/customers/", {"q": "zhangwei"}).content.decode()
    assert "张伟强" in body and ">张伟<" not in body


def test_alias_found_and_kept_current(client, org):
    c = org.customer
    services.customer_update(customer=c, by=org.alice, aliases=["Zhang Wei-Ming"])
    client.force_login(org.alice)
    assert "张伟" in client.get("/customers/", {"q": "Wei-Ming"}).content.decode()
    services.customer_update(customer=c, by=org.alice, aliases=[])
    assert "张伟" not in client.get("/customers/", {"q": "Wei-Ming"}).content.decode()


def test_htmx_returns_only_results(client, org):
    client.force_login(org.alice)
    response = client.get("/customers/", {"q": "zw"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="customer-table"' in body and "<html" not in body


def test_surname_reading(client, org):
    services.customer_create(by=org.alice, owner=org.alice, name="曾国藩")
    client.force_login(org.alice)
    for query in ["zengguofan", "zeng", "zgf", "cengguofan"]:
        assert "曾国藩" in client.get("/customers/", {"q": query}).content.decode(), query


def test_common_prefix_beyond_the_cap(client, org, settings, monkeypatch):
    # More matches than the count cap: the list still pages and says "N+".
    from kehu.customers import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for n in range(8):
        services.customer_create(by=org.alice, owner=org.alice, name=f"张{n}号")
    client.force_login(org.alice)
    body = client.get("/customers/", {"q": "张"}).content.decode()
    assert "张7号" in body and "3+" in body
