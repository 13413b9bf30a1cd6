"""Customer data quality: duplicate detection in plain Python (no Django).

Public API::

    from kehu.analytics.quality import DuplicateFinder, lookup_keys, dedupe_main

    finder = DuplicateFinder(threshold=0.95).fit(table, labels=reviewed_pairs)
    finder.predict_pairs()      # scored candidate pairs
    finder.predict_clusters()   # id -> cluster_id for every record
    finder.save("model.json"); DuplicateFinder.load("model.json")
    finder.score_record(new_record, candidates)  # creation-time warning
    lookup_keys(new_record)     # keys to look candidates up by

Modules: ``normalize`` (field normalisation; ``names`` and ``text`` hold the
name/pinyin and text helpers it re-exports), ``prepare`` (table -> features),
``spec`` (Splink comparisons, blocking rules, priors), ``dedupe`` (the
estimator), ``clustering`` (union-find with feedback constraints),
``candidates`` (single-record scoring, lookup keys), ``csvio``/``cli`` (the
``kehu dedupe`` command).  Test and benchmark data come from
``tests/support/synthetic.py``, outside the runtime package.
"""

from typing import Any

from .candidates import CandidateMatch, Evidence, RecordScorer, lookup_keys
from .dedupe import DuplicateFinder
from .prepare import InputError


def __getattr__(name: str) -> Any:
    # Imported lazily so that ``python -m kehu.analytics.quality.cli`` does not
    # find the module half-imported (runpy warns about that).
    if name == "dedupe_main":
        from .cli import dedupe_main

        return dedupe_main
    raise AttributeError(name)


__all__ = [
    "CandidateMatch",
    "DuplicateFinder",
    "Evidence",
    "InputError",
    "RecordScorer",
    "dedupe_main",
    "lookup_keys",
]
