"""Names starting with one or two Han characters (``h:`` keys, issue #12): a broad query
(王, 上海) reads them newest first as one key; they say exactly what the ``n:`` prefix says,
and migration 0014's fill writes exactly the keys the write paths keep."""

from __future__ import annotations

import pytest

from kehu.customers import search_index, selectors, services
from kehu.customers.models import SearchKey
from kehu.customers.search import customer_keys, parse_query

pytestmark = pytest.mark.django_db

NAMES = ("王", "王小明", "王 Wei", "上海启明建材有限公司", "ABC上海", "Wang Xiaoming", "上")


def test_keys_and_query():
    keys = customer_keys(name="上海启明建材有限公司", aliases=["启明建材"])
    assert {k for k in keys if k.startswith("h:")} == {"h:上", "h:上海", "h:启", "h:启明"}
    assert {k for k in customer_keys(name="ABC上海") if k.startswith("h:")} == set()
    assert parse_query("王").heads == ("h:王",)
    assert parse_query("上海").heads == ("h:上海",)
    assert parse_query("上海启").heads == ()  # three characters: the prefix, as before
    assert parse_query("wang").heads == ()


def test_heads_find_what_the_prefix_finds(org, monkeypatch):
    for name in NAMES:
        services.customer_create(by=org.alice, owner=org.alice, name=name)
    for q in ("王", "上", "上海"):
        narrow = [
            c.name
            for c in selectors.customer_list(user=org.mia, filters=selectors.CustomerFilters(q=q))
        ]
        # The broad path (newest first from the h: key) ranks the same customers alike.
        monkeypatch.setattr(search_index, "PROBE", 1)
        broad = [
            c.name
            for c in selectors.customer_list(user=org.mia, filters=selectors.CustomerFilters(q=q))
        ]
        monkeypatch.setattr(search_index, "PROBE", 2_000)
        # One character: names starting with it; two: also the names holding the pair.
        hits = sorted(n for n in [*NAMES, "张伟"] if (q in n if len(q) > 1 else n.startswith(q)))
        assert sorted(narrow) == sorted(broad) == hits, q
        assert narrow == broad, q  # the same ranking: starting with it first


def test_fill_writes_the_keys_the_writes_keep(org):
    for name in NAMES:
        services.customer_create(by=org.alice, owner=org.alice, name=name)
    services.customer_create(by=org.root, name="王五")  # no team
    kept = set(SearchKey.objects.values_list("customer_id", "team_id", "key"))
    heads = {k for k in kept if k[2].startswith("h:")}
    assert heads
    SearchKey.objects.filter(key__startswith="h:").delete()
    assert search_index.add_head_keys() == len(heads)
    assert set(SearchKey.objects.values_list("customer_id", "team_id", "key")) == kept
