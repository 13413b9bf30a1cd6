"""The kept customer's history includes the audit events of the records merged into it,
through the merge record, for as long as the merge stands."""

from __future__ import annotations

from kehu.core.models import AuditEvent
from kehu.quality import services
from kehu.quality.selectors import history_customer_ids


def test_history_follows_standing_merges(world):
    keep, remove, older = world.keep, world.remove, world.older
    assert AuditEvent.objects.filter(customer_id=remove.pk, action="create").exists()
    assert sorted(history_customer_ids(remove.pk)) == sorted([remove.pk, older.pk])

    merge = services.customer_merge(keep=keep, remove=remove, by=world.mia)
    ids = history_customer_ids(keep.pk)
    assert sorted(ids) == sorted([keep.pk, remove.pk, older.pk])
    events = AuditEvent.objects.filter(customer_id__in=ids)
    assert events.filter(customer_id=remove.pk, action="create").exists()

    services.customer_unmerge(merge=merge, by=world.mia)
    assert history_customer_ids(keep.pk) == [keep.pk]
