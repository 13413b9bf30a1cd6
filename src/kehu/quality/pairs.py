"""Duplicate candidate pairs: storing what the matcher proposes, and the reviewer's verdict.

A pair decided once (merged, or "not the same") is never proposed again: ``store_candidates``
skips it whatever probability a later run gives it. Decided pairs are the labels the next
matcher fit learns from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.customers.models import Customer
from kehu.quality import selectors
from kehu.quality.merge import MergeError, customer_merge
from kehu.quality.models import DuplicatePair, Merge

BATCH = 1000


@dataclass(frozen=True)
class CandidatePair:
    """One pair proposed by the matcher, ids in any order."""

    id_a: int
    id_b: int
    probability: float
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int]:
        a, b = sorted((int(self.id_a), int(self.id_b)))
        return a, b


@dataclass
class StoreResult:
    new: int = 0
    updated: int = 0
    skipped_decided: int = 0
    below_threshold: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@transaction.atomic
def store_candidates(*, candidates: Iterable[CandidatePair], threshold: float = 0.0) -> StoreResult:
    """Insert new open pairs, refresh the probability of open ones, skip decided ones."""
    result = StoreResult()
    best: dict[tuple[int, int], CandidatePair] = {}
    for cand in candidates:
        a, b = cand.key
        if a == b:
            continue
        if cand.probability < threshold:
            result.below_threshold += 1
            continue
        if cand.key not in best or cand.probability > best[cand.key].probability:
            best[cand.key] = cand
    existing = {
        (a, b): (pk, status)
        for pk, a, b, status in DuplicatePair.objects.values_list(
            "pk", "customer_a_id", "customer_b_id", "status"
        )
    }
    new_rows: list[DuplicatePair] = []
    updates: list[DuplicatePair] = []
    for key, cand in best.items():
        found = existing.get(key)
        if found is None:
            new_rows.append(
                DuplicatePair(
                    customer_a_id=key[0],
                    customer_b_id=key[1],
                    probability=float(cand.probability),
                    evidence=cand.evidence,
                )
            )
        elif found[1] == DuplicatePair.Status.OPEN:
            updates.append(
                DuplicatePair(
                    pk=found[0], probability=float(cand.probability), evidence=cand.evidence
                )
            )
        else:
            result.skipped_decided += 1
    DuplicatePair.objects.bulk_create(new_rows, batch_size=BATCH)
    DuplicatePair.objects.bulk_update(updates, ["probability", "evidence"], batch_size=BATCH)
    result.new, result.updated = len(new_rows), len(updates)
    return result


def decided_labels() -> list[tuple[int, int, int]]:
    """(customer_a, customer_b, 1 for the same person / 0 for not) from every decision."""
    rows = DuplicatePair.objects.exclude(status=DuplicatePair.Status.OPEN).values_list(
        "customer_a_id", "customer_b_id", "status"
    )
    return [(a, b, int(status == DuplicatePair.Status.MERGED)) for a, b, status in rows]


def _decidable(*, pair: DuplicatePair, by: Any) -> DuplicatePair:
    if not permissions.can(by, permissions.Action.MERGE):
        raise PermissionDenied
    fresh = selectors.visible_pair(user=by, pk=pair.pk)
    if fresh is None:
        raise PermissionDenied
    if fresh.status != DuplicatePair.Status.OPEN:
        raise MergeError(_("This pair has been decided already."))
    return fresh


@transaction.atomic
def pair_reject(*, pair: DuplicatePair, by: Any) -> DuplicatePair:
    """Reject as "not the same": remembered, never proposed again, a negative label for the matcher."""
    pair = _decidable(pair=pair, by=by)
    pair.status = DuplicatePair.Status.REJECTED
    pair.decided_by = by
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return pair


@transaction.atomic
def pair_merge(*, pair: DuplicatePair, keep_id: int, by: Any) -> Merge:
    """Merge the pair into the customer the reviewer chose to keep."""
    pair = _decidable(pair=pair, by=by)
    ids = (pair.customer_a_id, pair.customer_b_id)
    if keep_id not in ids:
        raise MergeError(_("The customer to keep must be one of the pair."))
    remove_id = ids[1] if keep_id == ids[0] else ids[0]
    customers = Customer.objects.in_bulk([keep_id, remove_id])
    return customer_merge(keep=customers[keep_id], remove=customers[remove_id], by=by)
