"""Merge followed by undo leaves both customers and every linked row exactly as before."""

from __future__ import annotations

from kehu.quality import services
from tests.quality.conftest import snapshot


def test_unmerge_restores_full_snapshot(world):
    ids = [world.keep.pk, world.remove.pk, world.third.pk, world.older.pk]
    before = snapshot(ids)

    merge = services.customer_merge(keep=world.keep, remove=world.remove, by=world.mia)
    assert snapshot(ids) != before
    services.customer_unmerge(merge=merge, by=world.mia)

    after = snapshot(ids)
    assert after.keys() == before.keys()
    for key in before:
        if key[0] == "customers.customer":
            # The version is a concurrency counter, not data: undoing is one more write, so it
            # goes up (an edit form opened before the undo must be refused), never back.
            went_up = after[key].pop("version") > before[key].pop("version")
            assert went_up == (key[1] in (world.keep.pk, world.remove.pk)), key
        assert after[key] == before[key], key
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undo_conflicts == {}
