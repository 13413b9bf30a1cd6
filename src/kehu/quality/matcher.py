"""The bridge to the plain-Python matcher (``kehu.analytics.quality``): customer rows in the
matcher's input columns, the persisted fitted model, and a single-record scorer.

The matcher knows nothing of Django; this module is the only place that knows both sides.
Tests replace the scorer with ``use_scorer`` so they can run without a fitted model.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from kehu.customers.fields import MATCHED

# Customer columns the matcher compares: the field registry's ``matched`` fields ("kind"
# decides whether the name is a person's or a company's, "district" and "province" complete
# the address).
DB_FIELDS = ("id", *MATCHED)
COMPANY = "company"


@dataclass(frozen=True)
class Match:
    """One scored candidate: the customer id, P(same customer) and per-field evidence
    (``[{"field", "level", "weight"}, …]``, weight = log2 Bayes factor of that comparison)."""

    customer_id: int
    probability: float
    weight: float | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


class Scorer(Protocol):
    def __call__(
        self, record: Mapping[str, Any], candidates: Sequence[Mapping[str, Any]]
    ) -> list[Match]: ...


def matcher_record(values: Mapping[str, Any]) -> dict[str, Any]:
    """A customer (a ``values()`` row, or form fields) in the matcher's input columns."""
    name = (values.get("name") or "").strip()
    is_company = values.get("kind") == COMPANY
    birthday: Any = values.get("birthday")
    if hasattr(birthday, "isoformat"):
        birthday = birthday.isoformat()
    street = " ".join(
        str(values.get(f) or "").strip() for f in ("district", "address") if values.get(f)
    )
    return {
        "id": values.get("id"),
        "name": None if is_company else (name or None),
        "company": name or None if is_company else None,
        "phone": values.get("phone") or None,
        "email": values.get("email") or None,
        "address": street or None,
        "city": values.get("city") or None,
        "postcode": values.get("postcode") or None,
        "birthday": birthday or None,
        "id_number": values.get("id_number") or None,
    }


def model_path() -> Path:
    configured = getattr(settings, "KEHU_DEDUPE_MODEL_PATH", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "dedupe_model.json"


# --- the fitted model, loaded once per process and re-read when the file changes ----------

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def load_finder(path: Path | None = None) -> Any | None:
    """The persisted ``DuplicateFinder`` written by ``kehu dedupe``, or None."""
    from kehu.analytics.quality.dedupe import DuplicateFinder

    path = path or model_path()
    try:
        stamp = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None
    key = f"finder:{path}"
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        finder = DuplicateFinder.load(path)
        _cache[key] = (stamp, finder)
        return finder


def default_finder() -> Any:
    """A model with the matcher's hand-set m/u priors, for before the first ``kehu dedupe``.

    Fitting on fewer rows than ``min_records_for_training`` keeps the priors as they are;
    the two records only tell the matcher which fields exist."""
    from kehu.analytics.quality.dedupe import DuplicateFinder

    with _lock:
        finder = _cache.get("default")
        if finder is None:
            sample = [
                {
                    "id": i,
                    "name": "张伟",
                    "company": "客户有限公司",
                    "phone": "+8613800138000",
                    "email": "a@example.com",
                    "address": "南京路1号",
                    "city": "上海",
                    "postcode": "200000",
                    "birthday": "1980-01-01",
                    "id_number": "110101198001010011",
                }
                for i in (1, 2)
            ]
            finder = DuplicateFinder().fit(sample)
            _cache["default"] = finder
        return finder


def evidence_of(match: Any) -> list[dict[str, Any]]:
    """The matcher's per-comparison evidence, missing fields left out (they weigh nothing)."""
    return [
        {"field": e.comparison, "level": e.level, "weight": round(float(e.match_weight), 3)}
        for e in match.evidence
        if e.gamma != -1
    ]


def finder_scorer(finder: Any) -> Scorer:
    """Score with a ``DuplicateFinder``'s warm single-record scorer."""
    scorer = finder.scorer()

    def score(record: Mapping[str, Any], candidates: Sequence[Mapping[str, Any]]) -> list[Match]:
        if not candidates:
            return []
        return [
            Match(
                customer_id=int(m.id),
                probability=float(m.match_probability),
                weight=float(m.match_weight),
                evidence=evidence_of(m),
            )
            for m in scorer.score(record, list(candidates), threshold=0.0)
        ]

    return score


_override: contextvars.ContextVar[Scorer | None] = contextvars.ContextVar(
    "kehu_quality_scorer", default=None
)


@contextlib.contextmanager
def use_scorer(scorer: Scorer) -> Iterator[None]:
    """Score with ``scorer`` instead of the persisted model (tests, benchmarks)."""
    token = _override.set(scorer)
    try:
        yield
    finally:
        _override.reset(token)


def current_scorer() -> Scorer:
    override = _override.get()
    if override is not None:
        return override
    finder = load_finder() or default_finder()
    return finder_scorer(finder)
