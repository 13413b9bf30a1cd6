"""Undo is refused while a later merge involving the same customers stands."""

from __future__ import annotations

import pytest

from kehu.quality import services


def test_unmerge_refused_after_later_merge(world):
    first = services.customer_merge(keep=world.keep, remove=world.remove, by=world.mia)
    second = services.customer_merge(keep=world.third, remove=world.keep, by=world.mia)

    with pytest.raises(services.MergeError, match=f"#{second.pk}"):
        services.customer_unmerge(merge=first, by=world.mia)

    services.customer_unmerge(merge=second, by=world.mia)
    services.customer_unmerge(merge=first, by=world.mia)
    with pytest.raises(services.MergeError):
        services.customer_unmerge(merge=first, by=world.mia)
