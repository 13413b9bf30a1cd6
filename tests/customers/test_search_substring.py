"""Quick search finds a customer by any part of its name, alias or English name, not only
the start: a brand word inside a company name, a given name without the surname, any two
Chinese characters or more (in either script), a pinyin syllable or a Latin word inside.
One character inside a name, or characters that are not next to each other, find nothing."""

from __future__ import annotations

import pytest

from kehu.customers import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(org):
    def make(name: str, **fields):
        return services.customer_create(by=org.alice, owner=org.alice, name=name, **fields)

    make(
        "上海启明建材有限公司",
        kind="company",
        name_en="Shanghai Qiming Building Materials Co., Ltd.",
    )
    make("深圳顺发物流有限公司", kind="company")
    make("李文琳")
    make("欧阳明", aliases=["北京远航贸易的欧阳总"])
    return org


def found(org, q: str) -> list[str]:
    filters = selectors.CustomerFilters(q=q)
    return [c.name for c in selectors.customer_list(user=org.alice, filters=filters)]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("启明", "上海启明建材有限公司"),  # a brand word inside
        ("啟明", "上海启明建材有限公司"),  # in traditional script
        ("启明建材", "上海启明建材有限公司"),
        ("明建", "上海启明建材有限公司"),
        ("建材有限", "上海启明建材有限公司"),
        ("物流", "深圳顺发物流有限公司"),
        ("顺发物流", "深圳顺发物流有限公司"),
        ("文琳", "李文琳"),  # the given name without the surname
        ("远航贸易", "欧阳明"),  # inside an alias
        ("wenlin", "李文琳"),  # pinyin syllables inside
        ("lin", "李文琳"),
        ("wen lin", "李文琳"),
        ("qiming", "上海启明建材有限公司"),
        ("jiancai", "上海启明建材有限公司"),
        ("wuliu", "深圳顺发物流有限公司"),
        ("Building Materials", "上海启明建材有限公司"),  # Latin words inside
        ("materials", "上海启明建材有限公司"),
        ("QIMING", "上海启明建材有限公司"),
        ("yangming", "欧阳明"),  # inside a compound surname's reading
    ],
)
def test_finds_by_inner_part(named, query, name):
    assert name in found(named, query), query


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("明启", "上海启明建材有限公司"),  # the pairs' order matters
        ("启建", "上海启明建材有限公司"),  # not next to each other
        ("明", "上海启明建材有限公司"),  # one character inside: too many, not searched
        ("文", "李文琳"),
        ("enli", "李文琳"),  # inside a syllable
        ("aterials", "上海启明建材有限公司"),  # inside a word
    ],
)
def test_does_not_find_by_broken_parts(named, query, name):
    assert name not in found(named, query), query


def test_pairs_present_but_apart_are_not_a_match(org):
    # 启明 and 明建 both occur, 启明建 does not: the pairs are checked against the name.
    services.customer_create(by=org.alice, owner=org.alice, name="启明光明建筑")
    assert found(org, "启明建") == []
    assert found(org, "明建") == ["启明光明建筑"]


def test_substring_search_respects_visibility(named):
    assert "李文琳" not in found_as(named, named.charlie, "文琳")
    assert "李文琳" in found_as(named, named.mia, "文琳")


def found_as(org, user, q: str) -> list[str]:
    filters = selectors.CustomerFilters(q=q)
    return [c.name for c in selectors.customer_list(user=user, filters=filters)]


def test_web_list_and_api_find_inner_parts(client, named):
    from kehu.api.auth import issue_token

    client.force_login(named.alice)
    assert "上海启明建材有限公司" in client.get("/customers/", {"q": "启明"}).content.decode()
    _token, raw = issue_token(user=named.alice, name="t")
    response = client.get(
        "/api/v1/customers", {"q": "文琳"}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["items"]] == ["李文琳"]
