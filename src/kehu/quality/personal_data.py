"""Duplicate links in a personal-data export, and merges made safe for an erasure
(registered in apps.py).

A merge keeps both customers as they were, so that it can be undone: after an erasure
that copy would bring the personal data back. The eraser scrubs it and marks the merge
``erased``; ``customer_unmerge`` refuses such a merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import Source, model_rows, register, scrub_row, scrub_text
from kehu.quality.models import DuplicatePair, Merge

CUSTOMER_LABEL = "customers.customer"


def _merges(ids: Sequence[int]) -> Any:
    return Merge.objects.filter(Q(keep_id__in=ids) | Q(remove_id__in=ids)).order_by("pk")


def _scrub_snapshot(snapshot: dict[str, Any], identifiers: Any) -> dict[str, Any]:
    out = dict(snapshot)
    out["customers"] = {
        pk: {
            state: scrub_row(CUSTOMER_LABEL, row, identifiers)
            for state, row in (states or {}).items()
        }
        for pk, states in (snapshot.get("customers") or {}).items()
    }
    ops = []
    for op in snapshot.get("ops") or []:
        op = scrub_text(op, identifiers)
        if op.get("op") == "drop":
            op["rows"] = [
                {**item, "row": scrub_row(item.get("model", ""), item.get("row"), identifiers)}
                for item in op.get("rows", [])
            ]
        ops.append(op)
    out["ops"] = ops
    out["pair"] = scrub_text(snapshot.get("pair") or {}, identifiers)
    out["erased"] = True
    return out


def _erase(*, customer_ids: Sequence[int], identifiers: Any, by: Any) -> int:
    changed = 0
    for merge in _merges(customer_ids).select_for_update():
        merge.snapshot = _scrub_snapshot(merge.snapshot or {}, identifiers)
        merge.undo_conflicts = scrub_text(merge.undo_conflicts or {}, identifiers)
        merge.save(update_fields=["snapshot", "undo_conflicts"])
        changed += 1
    return changed


def register_sources() -> None:
    register(
        Source(
            key="quality.duplicates",
            label=_("Duplicate pairs"),
            rows=lambda ids: model_rows(
                DuplicatePair.objects.filter(
                    Q(customer_a_id__in=ids) | Q(customer_b_id__in=ids)
                ).order_by("pk")
            ),
        )
    )
    register(
        Source(
            key="quality.merges",
            label=_("Merges"),
            # The snapshot repeats the rows listed in the other sheets; the summary counts.
            rows=lambda ids: model_rows(_merges(ids), exclude={"snapshot", "undo_conflicts"}),
            erase=_erase,
            order=10,
        )
    )
