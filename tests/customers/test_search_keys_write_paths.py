"""Every way a customer's name changes keeps its substring keys current: create, edit, the
bulk import, merge and its undo, erasure. A search by part of the old name stops finding
the customer; part of the new one finds it."""

from __future__ import annotations

import pytest

from kehu.customers import selectors, services
from kehu.customers.models import Customer
from tests.imports.conftest import CUSTOMER_HEADERS, run_import, write_csv

pytestmark = pytest.mark.django_db


def found(user, q: str) -> list[str]:
    filters = selectors.CustomerFilters(q=q)
    return [c.name for c in selectors.customer_list(user=user, filters=filters)]


def test_create_and_edit(org):
    c = services.customer_create(by=org.alice, owner=org.alice, name="李文琳")
    assert found(org.alice, "文琳") == ["李文琳"]
    services.customer_update(customer=c, by=org.alice, name="李文静", aliases=["远航贸易"])
    assert found(org.alice, "文琳") == []
    assert found(org.alice, "文静") == ["李文静"]
    assert found(org.alice, "航贸") == ["李文静"]
    assert found(org.alice, "wenjing") == ["李文静"]


def test_bulk_import(org, tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        [CUSTOMER_HEADERS, ["X1", "王思远", "13700137000", "", "上海", "", "", ""]],
    )
    run_import(org.root, "customers", path)
    assert found(org.root, "思远") == ["王思远"]
    assert found(org.root, "siyuan") == ["王思远"]


def test_merge_and_unmerge(org):
    from kehu.quality import services as quality

    keep = services.customer_create(by=org.alice, owner=org.alice, name="李文琳")
    remove = services.customer_create(by=org.alice, owner=org.alice, name="李雯琳")
    merge = quality.customer_merge(keep=keep, remove=remove, by=org.mia)
    # The removed record's name lives on as an alias of the kept one.
    assert found(org.mia, "雯琳") == ["李文琳"]
    quality.customer_unmerge(merge=merge, by=org.mia)
    assert found(org.mia, "雯琳") == ["李雯琳"]
    assert found(org.mia, "文琳") == ["李文琳"]


def test_erasure(org):
    from kehu.privacy import services as privacy

    c = services.customer_create(by=org.alice, owner=org.alice, name="李文琳")
    privacy.customer_erase(customer=c, by=org.root, reason="ticket 7")
    assert Customer._base_manager.get(pk=c.pk).name != "李文琳"
    assert found(org.root, "文琳") == []
    assert found(org.root, "wenlin") == []
