"""A pair judged "not the same" is never proposed again, and becomes a negative label."""

from __future__ import annotations

from kehu.customers import services as customer_services
from kehu.quality import selectors, services
from kehu.quality.models import DuplicatePair


def test_rejected_pair_is_never_proposed_again(org):
    twin = customer_services.customer_create(by=org.alice, owner=org.alice, name="张伟")
    first = services.store_candidates(
        candidates=[services.CandidatePair(id_a=twin.pk, id_b=org.customer.pk, probability=0.9)]
    )
    assert first.new == 1
    pair = DuplicatePair.objects.get()
    assert (pair.customer_a_id, pair.customer_b_id) == (org.customer.pk, twin.pk)

    services.pair_reject(pair=pair, by=org.mia)

    again = services.store_candidates(
        candidates=[services.CandidatePair(id_a=org.customer.pk, id_b=twin.pk, probability=0.99)]
    )
    assert (again.new, again.updated, again.skipped_decided) == (0, 0, 1)
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.REJECTED and pair.probability == 0.9
    assert pair.decided_by == org.mia and pair.decided_at is not None
    assert list(selectors.open_pairs(user=org.mia)) == []
    assert services.decided_labels() == [(org.customer.pk, twin.pk, 0)]
