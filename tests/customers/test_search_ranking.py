"""Search results rank by how well the name matches: the whole name first, then names that
start with the query, then names that contain it; the chosen sort orders each group."""

from __future__ import annotations

import pytest

from kehu.customers import selectors, services

pytestmark = pytest.mark.django_db


def names(org, q: str, sort: str = selectors.DEFAULT_SORT) -> list[str]:
    filters = selectors.CustomerFilters(q=q)
    return [c.name for c in selectors.customer_list(user=org.alice, filters=filters, sort=sort)]


def create(org, *names_: str) -> None:
    # Created best match first, so the default "newest first" alone would put them backwards.
    for name in names_:
        services.customer_create(by=org.alice, owner=org.alice, name=name)


def test_chinese_exact_then_prefix_then_substring(org):
    create(org, "启明", "启明星科技有限公司", "启明光电", "上海启明建材有限公司")
    assert names(org, "启明") == ["启明", "启明光电", "启明星科技有限公司", "上海启明建材有限公司"]


def test_the_sort_orders_within_each_group(org):
    create(org, "上海启明建材有限公司", "启明光电", "启明星科技有限公司", "启明")
    by_name = names(org, "启明", sort="name")
    assert by_name[0] == "启明" and by_name[-1] == "上海启明建材有限公司"
    assert sorted(by_name[1:3]) == by_name[1:3]


def test_pinyin_exact_then_prefix_then_substring(org):
    # 张伟 (the fixture's customer) is the oldest; 章 reads "zhang" exactly; 李章明 has it inside.
    create(org, "章", "李章明")
    assert names(org, "zhang") == ["章", "张伟", "李章明"]


def test_latin_exact_then_prefix_then_words_inside(org):
    for name, name_en in (
        ("甲", "Building Materials"),
        ("乙", "Building Materials Trading"),
        ("丙", "Qiming Building Materials Co"),
    ):
        services.customer_create(by=org.alice, owner=org.alice, name=name, name_en=name_en)
    assert names(org, "building materials") == ["甲", "乙", "丙"]
