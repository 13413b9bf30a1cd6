"""Writes for data quality, keyword-only, typed, atomic and audited. The implementations
live in modules of their own (merge, pairs, completeness, warning); this is the one import
the views, the API and the commands use."""

from __future__ import annotations

from kehu.quality.merge import MergeError, customer_merge, customer_unmerge
from kehu.quality.pairs import (
    CandidatePair,
    StoreResult,
    decided_labels,
    pair_merge,
    pair_reject,
    store_candidates,
)

__all__ = [
    "CandidatePair",
    "MergeError",
    "StoreResult",
    "customer_merge",
    "customer_unmerge",
    "decided_labels",
    "pair_merge",
    "pair_reject",
    "store_candidates",
]
