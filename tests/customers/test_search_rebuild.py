"""``kehu search rebuild`` recomputes every customer's search keys from the records: after
it, the table holds exactly the keys the write paths keep, and search works again."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kehu.customers import selectors, services
from kehu.customers.models import ContactPoint, SearchKey

pytestmark = pytest.mark.django_db


def keys() -> set[tuple[int, str]]:
    return set(SearchKey.objects.values_list("customer_id", "key"))


def test_rebuild_restores_the_keys_the_writes_keep(org, capsys):
    c = services.customer_create(
        by=org.alice, owner=org.alice, name="上海启明建材有限公司", aliases=["启明建材"]
    )
    ContactPoint.objects.create(customer=c, kind="phone", value="+8613900139000")
    services.refresh_search_keys(c)
    kept = keys()
    SearchKey.objects.all().delete()
    assert not selectors.customer_list(
        user=org.alice, filters=selectors.CustomerFilters(q="启明")
    ).exists()

    call_command("search", "rebuild")

    assert keys() == kept
    assert f"{len(kept):,} search keys written" in capsys.readouterr().out
    found = selectors.customer_list(user=org.alice, filters=selectors.CustomerFilters(q="启明"))
    assert [x.name for x in found] == ["上海启明建材有限公司"]
    by_phone = selectors.customer_list(user=org.alice, filters=selectors.CustomerFilters(q="9000"))
    assert [x.name for x in by_phone] == ["上海启明建材有限公司"]


def test_rebuild_drops_keys_of_names_no_longer_held(org):
    SearchKey.objects.create(customer=org.customer, key="g:旧名")
    call_command("search", "rebuild")
    assert not SearchKey.objects.filter(key="g:旧名").exists()
