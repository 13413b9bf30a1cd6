"""Finding duplicates in the database (G3): extract, fit, store, measure.

``run_database_dedupe`` streams the active customers out in keyset-paginated chunks into
Arrow record batches (bounded memory, no ORM objects), fits the matcher with the reviewers'
decisions as labels, stores the new candidate pairs above the threshold (decided pairs are
never proposed again), and persists the fitted model for the creation-time warning.

``demo_truth_report`` measures pairwise precision and recall against the duplicates the
demo data injected (``attributes["demo_duplicate_of"]`` = external id of the original).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from django.conf import settings

from kehu.customers.models import Customer
from kehu.quality import matcher, pairs

DEFAULT_THRESHOLD = 0.8
CHUNK = 50_000
Progress = Callable[[str], None]

_ARROW_TYPES = {"id": pa.int64(), "birthday": pa.date32()}
SCHEMA = pa.schema([(name, _ARROW_TYPES.get(name, pa.string())) for name in matcher.DB_FIELDS])


def store_threshold() -> float:
    return float(getattr(settings, "KEHU_DEDUPE_THRESHOLD", DEFAULT_THRESHOLD))


def iter_customer_batches(*, chunk_size: int = CHUNK) -> Iterator[pa.RecordBatch]:
    """Active customers, ``matcher.DB_FIELDS`` columns, ``chunk_size`` rows per batch."""
    qs = Customer.objects.filter(is_archived=False, merged_into__isnull=True).order_by("id")
    last = 0
    while True:
        rows = list(qs.filter(id__gt=last).values_list(*matcher.DB_FIELDS)[:chunk_size])
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        yield pa.RecordBatch.from_arrays(
            [pa.array(col, type=SCHEMA.field(i).type) for i, col in enumerate(columns)],
            schema=SCHEMA,
        )
        last = rows[-1][0]


def extract_customers(*, chunk_size: int = CHUNK) -> pa.Table:
    return pa.Table.from_batches(list(iter_customer_batches(chunk_size=chunk_size)), SCHEMA)


def matcher_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow customers → the matcher's input columns (person vs company name, street)."""
    frame = table.to_pandas()
    if frame.empty:
        return pd.DataFrame(columns=["id", "name", "company"])
    is_company = frame["kind"] == matcher.COMPANY
    street = (frame["district"].fillna("") + " " + frame["address"].fillna("")).str.strip()
    return pd.DataFrame(
        {
            "id": frame["id"],
            "name": frame["name"].where(~is_company, None),
            "company": frame["name"].where(is_company, None),
            "phone": frame["phone"],
            "email": frame["email"],
            "address": street,
            "city": frame["city"],
            "postcode": frame["postcode"],
            "birthday": frame["birthday"].map(lambda d: d.isoformat() if d else None),
            "id_number": frame["id_number"],
        }
    ).replace({"": None})


def labels_frame() -> pd.DataFrame | None:
    labels = pairs.decided_labels()
    if not labels:
        return None
    return pd.DataFrame(labels, columns=["id_l", "id_r", "is_match"])


def _evidence_for(finder: Any, frame: pd.DataFrame, found: pd.DataFrame) -> dict:
    """Per-field evidence for each stored pair, from the single-record scorer: the review
    queue shows which fields matched and how strongly."""
    if found.empty:
        return {}
    wanted = set(found["id_l"]) | set(found["id_r"])
    subset = frame[frame["id"].isin(wanted)].astype(object)
    subset = subset.where(subset.notna(), None)
    records: dict[int, dict[str, Any]] = {
        int(r["id"]): {str(k): v for k, v in r.items()} for r in subset.to_dict("records")
    }
    score = matcher.finder_scorer(finder)
    out = {}
    for a, b in zip(found["id_l"], found["id_r"], strict=True):
        left, right = records.get(int(a)), records.get(int(b))
        if left is None or right is None:
            continue
        matches = score(left, [right])
        if matches:
            out[(int(a), int(b))] = {"fields": matches[0].evidence}
    return out


def _save_model(finder: Any, path: Path) -> None:
    """Write next to the target and rename: the web process never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dedupe-", suffix=".json")
    os.close(fd)
    try:
        finder.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@dataclass
class DedupeRun:
    customers: int = 0
    candidates: int = 0
    stored: dict[str, int] = field(default_factory=dict)
    labels: int = 0
    model_path: str = ""
    seconds: float = 0.0
    report: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def run_database_dedupe(
    *,
    threshold: float | None = None,
    chunk_size: int = CHUNK,
    model_path: Path | None = None,
    report: bool = False,
    progress: Progress | None = None,
    finder_factory: Callable[..., Any] | None = None,
) -> DedupeRun:
    """Fit on the active customers and store new candidate pairs at or above ``threshold``."""
    started = time.perf_counter()
    threshold = store_threshold() if threshold is None else threshold
    say = progress or (lambda _msg: None)
    say("extracting customers")
    table = extract_customers(chunk_size=chunk_size)
    frame = matcher_frame(table)
    run = DedupeRun(customers=len(frame), model_path=str(model_path or matcher.model_path()))
    if len(frame) < 2:
        run.seconds = time.perf_counter() - started
        return run
    labels = labels_frame()
    run.labels = 0 if labels is None else len(labels)
    if finder_factory is None:
        from kehu.analytics.quality.dedupe import DuplicateFinder

        finder_factory = DuplicateFinder
    finder = finder_factory(threshold=max(threshold, 0.5), review_threshold=threshold, progress=say)
    finder.fit(frame, labels=labels)
    found = finder.predict_pairs(threshold=threshold)
    found = found[found["match_probability"] >= threshold]
    run.candidates = len(found)
    say("collecting evidence")
    evidence = _evidence_for(finder, frame, found)
    result = pairs.store_candidates(
        candidates=(
            pairs.CandidatePair(
                id_a=int(a),
                id_b=int(b),
                probability=float(p),
                evidence=evidence.get((int(a), int(b)), {}),
            )
            for a, b, p in zip(
                found["id_l"], found["id_r"], found["match_probability"], strict=True
            )
        ),
        threshold=threshold,
    )
    run.stored = result.as_dict()
    _save_model(finder, Path(run.model_path))
    if report:
        run.report = demo_truth_report(found=found)
    run.seconds = round(time.perf_counter() - started, 2)
    return run


def demo_truth_pairs() -> set[tuple[int, int]]:
    """Every pair of records of one demo person: the original and each injected duplicate,
    and the duplicates among themselves. Merged-away records count too."""
    originals: dict[str, int] = {
        external_id: pk
        for external_id, pk in Customer._base_manager.filter(
            external_id__startswith="demo-"
        ).values_list("external_id", "id")
        if external_id
    }
    groups: dict[int, set[int]] = {}
    rows = Customer._base_manager.filter(attributes__has_key="demo_duplicate_of").values_list(
        "id", "external_id", "attributes"
    )
    for pk, external_id, attributes in rows:
        of = (attributes or {}).get("demo_duplicate_of")
        if not of or of == external_id or of not in originals:
            continue  # a merge may have copied the marker onto the original itself
        original = originals[of]
        groups.setdefault(original, {original}).add(pk)
    truth: set[tuple[int, int]] = set()
    for members in groups.values():
        truth.update(itertools.combinations(sorted(members), 2))
    return truth


def demo_truth_report(*, found: pd.DataFrame) -> dict[str, Any]:
    """Pairwise precision/recall of ``found`` against the demo's injected duplicates,
    restricted to the records that took part in the run."""
    active = set(
        Customer.objects.filter(is_archived=False, merged_into__isnull=True).values_list(
            "id", flat=True
        )
    )
    truth = {p for p in demo_truth_pairs() if p[0] in active and p[1] in active}
    predicted = {
        tuple(sorted((int(a), int(b)))) for a, b in zip(found["id_l"], found["id_r"], strict=True)
    }
    hits = len(truth & predicted)
    return {
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "true_positives": hits,
        "precision": round(hits / len(predicted), 4) if predicted else None,
        "recall": round(hits / len(truth), 4) if truth else None,
    }
