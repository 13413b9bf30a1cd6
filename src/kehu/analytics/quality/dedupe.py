"""``DuplicateFinder``: unsupervised duplicate-customer detection with Splink.

A scikit-learn-style estimator::

    finder = DuplicateFinder(threshold=0.95).fit(customers)
    pairs = finder.predict_pairs()        # id_l, id_r, match_probability, ...
    clusters = finder.predict_clusters()  # id, cluster_id (every id once)
    finder.save("dedupe_model.json")

Model: Fellegi-Sunter via Splink 5 on DuckDB, ``dedupe_only``.

* u probabilities: random sampling of record pairs (fixed seed).
* m probabilities: EM over two blocking rules with disjoint columns, so that
  every comparison is estimated at least once.
* prior P(match): from near-deterministic rules (same phone and name, same ID
  number...) with an assumed recall.
* Small tables (< ``min_records_for_training`` rows) cannot support these
  estimates; the hand-set priors in :mod:`.spec` are used as they are.
* User feedback (``labels``): confirmed pairs feed Splink's
  ``estimate_m_from_pairwise_labels`` (blended with the EM estimates, Splink
  takes the median) and are always linked; rejected pairs are never returned
  and never put in one cluster.

This module must not import Django: it runs in workers and on files.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import spec
from .clustering import connected_components
from .prepare import (
    FEATURE_COLUMNS,
    InputError,
    PreparedTable,
    feature_select_sql,
    prepare_table,
)

__all__ = ["DuplicateFinder", "MODEL_FORMAT"]

MODEL_FORMAT = "kehu.dedupe/1"
logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


class DuplicateFinder:
    """Find duplicate customers in a table.

    Parameters
    ----------
    threshold:
        Match probability at or above which two records are the same customer
        (used for clusters and ``decision == "match"``).
    review_threshold:
        Lower bound of the "possible duplicate" band: pairs between the two
        thresholds are returned by :meth:`predict_pairs` with
        ``decision == "review"`` (the classic two-sided Fellegi-Sunter rule).
    seed:
        Seed for u sampling; results are deterministic for a given seed.
    u_max_pairs:
        Number of random pairs sampled to estimate u (default
        ``min(5e6, max(1e6, 50 * n))``).
    em_max_pairs:
        Cap on the blocked pairs EM iterates over (Splink samples records).
    min_records_for_training:
        Below this, the hand-set priors are used instead of estimates.
    max_pairs_per_rule:
        A prediction blocking rule whose pre-count exceeds this is dropped
        (default ``max(5e6, 25 * n)``) so a degenerate column cannot make the
        job quadratic.
    prior_recall:
        Assumed recall of the deterministic rules used to estimate P(match).
    m_floor:
        Lower bound applied to every trained m probability (see ``_floor_m``).
    min_confirmed_for_m:
        Confirmed label pairs needed before they are used to estimate m.
    threads:
        DuckDB threads (default: all cores).
    progress:
        Callback receiving a short description of each stage.
    """

    # Learned attributes (scikit-learn style: set by fit() or load()).
    settings_: dict[str, Any]  # the trained Splink model
    comparisons_: list[str]
    features_: list[str]
    blocking_rules_: list[str]
    dropped_blocking_rules_: dict[str, int]
    em_rules_: list[str]
    training_warnings_: list[str]
    trained_: bool
    n_records_: int
    probability_two_random_records_match_: float
    confirmed_pairs_: list[tuple[Any, Any]]
    rejected_pairs_: list[tuple[Any, Any]]
    m_from_labels_: bool
    timings_: dict[str, float]

    def __init__(
        self,
        threshold: float = 0.95,
        review_threshold: float = 0.5,
        *,
        seed: int = 42,
        u_max_pairs: float | None = None,
        em_max_pairs: float | None = 2e6,
        min_records_for_training: int = 1000,
        max_pairs_per_rule: float | None = None,
        prior_recall: float = 0.8,
        m_floor: float = 0.005,
        min_confirmed_for_m: int = 10,
        threads: int | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.threshold = threshold
        self.review_threshold = review_threshold
        self.seed = seed
        self.u_max_pairs = u_max_pairs
        self.em_max_pairs = em_max_pairs
        self.min_records_for_training = min_records_for_training
        self.max_pairs_per_rule = max_pairs_per_rule
        self.prior_recall = prior_recall
        self.m_floor = m_floor
        self.min_confirmed_for_m = min_confirmed_for_m
        self.threads = threads
        self.progress = progress

    # ------------------------------------------------------------------ utils
    def _report(self, stage: str) -> None:
        logger.info(stage)
        if self.progress is not None:
            self.progress(stage)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:")
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        # Insertion order is irrelevant to us and costs memory/time to keep.
        con.execute("SET preserve_insertion_order = false")
        # DuckDB draws its own progress bars on stderr; the CLI reports stages.
        con.execute("SET enable_progress_bar = false")
        return con

    def _check_fitted(self) -> None:
        if not hasattr(self, "settings_"):
            raise RuntimeError("This DuplicateFinder is not fitted yet; call fit() or load().")

    # -------------------------------------------------------------- training
    def _pair_counts(
        self, con: duckdb.DuckDBPyConnection, table: str, rules: list[spec.BlockingRule]
    ) -> list[int]:
        counts = []
        for rule in rules:
            cols = ", ".join(f'"{c}"' for c in rule.columns)
            not_null = " AND ".join(f'"{c}" IS NOT NULL' for c in rule.columns)
            # Column names come from spec.py, not from user input.
            sql = (
                f"SELECT coalesce(sum(c * (c - 1) // 2), 0) FROM "  # noqa: S608
                f"(SELECT count(*) AS c FROM {table} WHERE {not_null} GROUP BY {cols})"
            )
            counts.append(int(con.execute(sql).fetchall()[0][0]))
        return counts

    def _linker(self, prepared: PreparedTable, settings: Mapping[str, Any] | None = None) -> Any:
        """Register the prepared table and build a Splink linker on it."""
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on

        con = self._connect()
        db_api = DuckDBAPI(con)
        con.register("kehu_prepared", prepared.to_arrow(FEATURE_COLUMNS))
        con.execute(
            "CREATE TABLE kehu_customers AS " + feature_select_sql("kehu_prepared", FEATURE_COLUMNS)
        )
        con.unregister("kehu_prepared")
        sdf = db_api.register("kehu_customers")
        if settings is not None:
            settings = dict(settings)
            comparisons = settings["comparisons"]
            used = {c["output_column_name"] for c in comparisons}
            return Linker(sdf, settings, log_level=logging.ERROR), con, sorted(used)

        comparisons = spec.comparisons_for(prepared.features)
        if not comparisons:
            raise InputError(
                "No comparable column: the table needs at least one of name, phone, email, "
                "birthday, address, postcode, city, id_number, company"
            )
        rules = spec.blocking_rules_for(prepared.features)
        n = len(prepared)
        budget = self.max_pairs_per_rule or max(5e6, 25.0 * n)
        counts = self._pair_counts(con, sdf.physical_name, rules)
        kept = [r for r, c in zip(rules, counts, strict=True) if c <= budget]
        self.blocking_rules_ = [" & ".join(r.columns) for r in kept]
        self.dropped_blocking_rules_ = {
            " & ".join(r.columns): c for r, c in zip(rules, counts, strict=True) if c > budget
        }
        if self.dropped_blocking_rules_:
            logger.warning("Dropped oversized blocking rules: %s", self.dropped_blocking_rules_)
        splink_comparisons: list[Any] = list(comparisons)
        creator = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            comparisons=splink_comparisons,
            blocking_rules_to_generate_predictions=[block_on(*r.columns) for r in kept],
            # Prior for small tables: ~1 duplicate pair per 10,000 record pairs.
            probability_two_random_records_match=1e-4,
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
            max_iterations=25,
            em_convergence=1e-4,
        )
        linker = Linker(sdf, creator, log_level=logging.ERROR)
        return linker, con, [c["output_column_name"] for c in comparisons]

    def _train(self, linker: Any, prepared: PreparedTable) -> None:
        from splink import block_on

        n = len(prepared)
        det = spec.deterministic_rules_for(prepared.features)
        if det:
            self._report("estimating the share of duplicates")
            linker.training.estimate_probability_two_random_records_match(
                det, recall=self.prior_recall
            )
        self._report("estimating u by random sampling")
        # Enough pairs to see the rare agreement levels a few times, without
        # making small tables pay for a million-row budget.
        u_pairs = self.u_max_pairs or min(5e6, max(1e6, 50.0 * n))
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(u_pairs, n * (n - 1) / 2), seed=self.seed
        )
        used: set[str] = set()
        for group in spec.training_rules_for(prepared.features):
            for rule in group:
                if used & set(rule.columns):
                    continue
                self._report(f"estimating m by EM (blocking on {', '.join(rule.columns)})")
                # Splink 5's EM session mutates the linker's model in place
                # (drops the blocked comparisons, rescales the prior) and only
                # restores it on success; keep a copy to roll back a failure.
                backup = linker._settings_obj.core_model_settings.copy()
                try:
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        block_on(*rule.columns),
                        estimate_without_term_frequencies=True,
                        max_pairs=self.em_max_pairs,
                    )
                except ValueError as exc:
                    # Splink rejects an EM result with m == 0 for some level;
                    # the session is discarded and we try the next rule.
                    linker._settings_obj.core_model_settings = backup
                    logger.warning("EM on %s failed (%s); trying the next rule", rule.columns, exc)
                    self.training_warnings_.append(f"EM on {rule.columns}: {exc}")
                    continue
                used |= set(rule.columns)
                self.em_rules_.append(" & ".join(rule.columns))
                break

    def _floor_m(self, linker: Any) -> None:
        """Keep every m probability >= ``m_floor``.

        EM on data where duplicates rarely disagree on a field drives m for the
        "different" level towards 0, which turns one disagreement (a typo, a
        changed phone) into a veto worth -20 bits or more.  A small floor
        keeps it strong but finite evidence.
        """
        for comparison in linker._settings_obj.comparisons:
            for level in comparison._comparison_levels_excluding_null:
                m = level.m_probability
                if m is not None and m < self.m_floor:
                    level.m_probability = self.m_floor

    def _apply_labels(self, linker: Any, labels: Any, prepared: PreparedTable) -> None:
        """Remember reviewed pairs; learn m from the confirmed ones.

        Splink adds the label-based m estimate to the EM estimates and uses
        the median per level, so a handful of labels nudges rather than
        overrides the model; below ``min_confirmed_for_m`` confirmed pairs the
        estimate would be noise and is skipped (the pairs are still honoured
        as must-link / cannot-link).
        """
        frame = pd.DataFrame(labels).rename(columns=lambda c: str(c).strip().lower())
        missing = {"id_l", "id_r", "is_match"} - set(frame.columns)
        if missing:
            raise InputError(
                f"labels need columns id_l, id_r, is_match (missing {sorted(missing)})"
            )
        by_str = {str(v): v for v in prepared.ids.tolist()}
        confirmed: set[tuple[Any, Any]] = set()
        rejected: set[tuple[Any, Any]] = set()
        for a, b, flag in frame[["id_l", "id_r", "is_match"]].itertuples(index=False):
            ia, ib = by_str.get(str(a)), by_str.get(str(b))
            if ia is None or ib is None or str(a) == str(b):
                continue  # a pair about a customer not in this table
            pair = (ia, ib) if str(ia) <= str(ib) else (ib, ia)
            (confirmed if int(flag) == 1 else rejected).add(pair)
        self.confirmed_pairs_ = sorted(confirmed, key=lambda p: (str(p[0]), str(p[1])))
        self.rejected_pairs_ = sorted(rejected, key=lambda p: (str(p[0]), str(p[1])))
        uid_confirmed, _ = self._label_uids(prepared)
        if len(uid_confirmed) >= self.min_confirmed_for_m:
            self._report(f"estimating m from {len(uid_confirmed)} confirmed pairs")
            pairs = sorted(uid_confirmed)
            table = pa.table(
                {
                    "unique_id_l": [a for a, _ in pairs],
                    "unique_id_r": [b for _, b in pairs],
                    "source_dataset_l": ["kehu_customers"] * len(pairs),
                    "source_dataset_r": ["kehu_customers"] * len(pairs),
                }
            )
            labels_sdf = linker.table_management.register_table(
                table, "kehu_labels", overwrite=True
            )
            linker.training.estimate_m_from_pairwise_labels(labels_sdf)
            self.m_from_labels_ = True

    def fit(self, table: Any, labels: Any = None) -> DuplicateFinder:
        """Learn the model from ``table`` (pandas/Arrow/list of dicts with an ``id``).

        ``labels``: optional table of reviewed pairs with columns ``id_l``,
        ``id_r``, ``is_match`` (1 = same customer, 0 = not).
        """
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        self._report("normalising records")
        prepared = prepare_table(table)
        if len(prepared) == 0:
            raise InputError("The table has no rows")
        timings["normalise"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        linker, con, used = self._linker(prepared)
        self.comparisons_ = used
        self.n_records_ = len(prepared)
        self.features_ = sorted(prepared.features)
        self.trained_ = len(prepared) >= self.min_records_for_training
        self.training_warnings_ = []
        self.em_rules_ = []
        self.confirmed_pairs_, self.rejected_pairs_ = [], []
        self.m_from_labels_ = False
        # Training aggregates floating-point sums (EM); with several threads
        # DuckDB adds them in a varying order and the last bits of m change
        # from run to run.  One thread makes fit() bit-for-bit reproducible and
        # costs little: Splink's u sampling runs on one thread anyway and EM
        # sees only the blocked pairs.  Prediction (per-pair arithmetic, no
        # sums) keeps all threads.
        con.execute("SET threads = 1")
        try:
            if self.trained_:
                self._train(linker, prepared)
            if labels is not None:
                self._apply_labels(linker, labels, prepared)
        finally:
            if self.threads:
                con.execute(f"SET threads = {int(self.threads)}")
            else:
                con.execute("RESET threads")
        if self.trained_ or labels is not None:
            self._floor_m(linker)
        timings["train"] = time.perf_counter() - t1

        self.settings_ = linker.misc.save_model_to_json()
        self.probability_two_random_records_match_ = float(
            self.settings_["probability_two_random_records_match"]
        )
        self.timings_ = timings
        self._linker_ = linker
        self._con = con
        self._prepared = prepared
        self._scorer: Any = None
        self._uid_cache: tuple[float, pd.DataFrame] | None = None
        return self

    # ------------------------------------------------------------ prediction
    def _predict_uids(self, prepared: PreparedTable, linker: Any, min_prob: float) -> pd.DataFrame:
        # predict_pairs() and predict_clusters() on the fitted table share one
        # Splink predict(): the lower threshold's result serves both.
        cache = getattr(self, "_uid_cache", None)
        if linker is getattr(self, "_linker_", None) and cache is not None and cache[0] <= min_prob:
            cached = cache[1]
            return cached[cached["match_probability"] >= min_prob].reset_index(drop=True)
        t0 = time.perf_counter()
        self._report("scoring candidate pairs")
        df = linker.inference.predict(threshold_match_probability=min_prob, warning_mode="never")
        con = linker._db_api.duckdb_con
        out = con.execute(
            f"SELECT unique_id_l, unique_id_r, match_probability, match_weight "  # noqa: S608
            f"FROM {df.physical_name}"
        ).fetch_df()
        df.drop_table_from_database_and_remove_from_cache()
        self.timings_["predict"] = time.perf_counter() - t0
        if linker is getattr(self, "_linker_", None):
            self._uid_cache = (min_prob, out)
        return out

    def _resolve(self, table: Any) -> tuple[PreparedTable, Any]:
        self._check_fitted()
        if table is None:
            if getattr(self, "_linker_", None) is None:
                raise RuntimeError("A loaded model has no data: pass the table to predict on.")
            return self._prepared, self._linker_
        prepared = prepare_table(table)
        linker, con, _ = self._linker(prepared, self.settings_)
        return prepared, linker

    def _label_uids(
        self, prepared: PreparedTable
    ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        """Confirmed and rejected pairs as (low, high) row positions of ``prepared``.

        Ids are compared as strings: a CSV gives "17" where the database gave 17.
        Pairs with an id not in the table are ignored.
        """
        index = {str(v): i for i, v in enumerate(prepared.ids.tolist())}

        def convert(pairs: Sequence[Sequence[Any]]) -> set[tuple[int, int]]:
            out = set()
            for a, b in pairs:
                ia, ib = index.get(str(a)), index.get(str(b))
                if ia is not None and ib is not None and ia != ib:
                    out.add((min(ia, ib), max(ia, ib)))
            return out

        return convert(self.confirmed_pairs_), convert(self.rejected_pairs_)

    def _pairs_frame(self, prepared: PreparedTable, uids: pd.DataFrame) -> pd.DataFrame:
        """Scored pairs with ids; rejected pairs removed, confirmed pairs forced to 1."""
        confirmed, rejected = self._label_uids(prepared)
        left = uids["unique_id_l"].to_numpy(dtype=np.int64)
        right = uids["unique_id_r"].to_numpy(dtype=np.int64)
        lo, hi = np.minimum(left, right), np.maximum(left, right)
        prob = uids["match_probability"].to_numpy(dtype=float)
        weight = uids["match_weight"].to_numpy(dtype=float)
        if rejected or confirmed:
            keys = list(zip(lo.tolist(), hi.tolist(), strict=True))
            keep = np.array([k not in rejected for k in keys], dtype=bool)
            is_confirmed = np.array([k in confirmed for k in keys], dtype=bool)
            prob = np.where(is_confirmed, 1.0, prob)
            weight = np.where(is_confirmed, math.inf, weight)
            missing = sorted(confirmed - set(keys))
            lo = np.concatenate([lo[keep], [a for a, _ in missing]]).astype(np.int64)
            hi = np.concatenate([hi[keep], [b for _, b in missing]]).astype(np.int64)
            prob = np.concatenate([prob[keep], np.ones(len(missing))])
            weight = np.concatenate([weight[keep], np.full(len(missing), math.inf)])
        ids = prepared.ids
        return pd.DataFrame(
            {"id_l": ids[lo], "id_r": ids[hi], "match_probability": prob, "match_weight": weight}
        )

    def predict_pairs(self, table: Any = None, threshold: float | None = None) -> pd.DataFrame:
        """Candidate duplicate pairs with ``match_probability >= review_threshold``.

        Columns: ``id_l``, ``id_r``, ``match_probability``, ``match_weight``,
        ``decision`` ("match" at or above ``threshold``, else "review").
        Rejected pairs from the labels are never returned; confirmed pairs are
        always returned with probability 1.
        """
        prepared, linker = self._resolve(table)
        threshold = self.threshold if threshold is None else threshold
        low = min(self.review_threshold, threshold)
        pairs = self._pairs_frame(prepared, self._predict_uids(prepared, linker, low))
        pairs = pairs.sort_values(
            ["match_probability", "id_l", "id_r"], ascending=[False, True, True], key=None
        ).reset_index(drop=True)
        pairs["decision"] = np.where(pairs.match_probability >= threshold, "match", "review")
        return pairs

    def predict_clusters(self, table: Any = None, threshold: float | None = None) -> pd.DataFrame:
        """One row per input record: ``id``, ``cluster_id`` (the id of the
        cluster's first record in input order) and ``cluster_size``.

        Clusters are connected components of the pairs at or above
        ``threshold``; confirmed pairs are always linked and rejected pairs
        never end up together.
        """
        prepared, linker = self._resolve(table)
        threshold = self.threshold if threshold is None else threshold
        uids = self._predict_uids(prepared, linker, threshold)
        t0 = time.perf_counter()
        self._report("clustering")
        confirmed, rejected = self._label_uids(prepared)
        uid_l = uids["unique_id_l"].to_numpy(dtype=np.int64)
        uid_r = uids["unique_id_r"].to_numpy(dtype=np.int64)
        weight = uids["match_probability"].to_numpy(dtype=float)
        labels = connected_components(
            len(prepared),
            uid_l,
            uid_r,
            weight,
            must_link=sorted(confirmed),
            cannot_link=sorted(rejected),
        )
        sizes = np.bincount(labels, minlength=len(prepared))
        result = pd.DataFrame(
            {"id": prepared.ids, "cluster_id": prepared.ids[labels], "cluster_size": sizes[labels]}
        )
        self.timings_["cluster"] = time.perf_counter() - t0
        return result

    def fit_predict(self, table: Any, labels: Any = None) -> pd.DataFrame:
        """``fit(table, labels).predict_clusters()``."""
        return self.fit(table, labels).predict_clusters()

    # ------------------------------------------------------- single records
    def scorer(self) -> Any:
        """A warm :class:`~.candidates.RecordScorer` for this model (cached)."""
        self._check_fitted()
        if getattr(self, "_scorer", None) is None:
            from .candidates import RecordScorer

            self._scorer = RecordScorer(
                self.settings_,
                threshold=self.review_threshold,
                rejected_pairs=self.rejected_pairs_,
            )
        return self._scorer

    def score_record(
        self,
        record: Mapping[str, Any],
        candidates: Sequence[Mapping[str, Any]] | pd.DataFrame,
        threshold: float | None = None,
    ) -> list[Any]:
        """Score one (new) record against caller-supplied candidate records.

        Returns :class:`~.candidates.CandidateMatch` objects above
        ``threshold`` (default ``review_threshold``), best first, each with the
        per-comparison evidence.
        """
        return self.scorer().score(record, candidates, threshold=threshold)

    # ------------------------------------------------------------ persistence
    def to_dict(self) -> dict[str, Any]:
        self._check_fitted()
        return {
            "format": MODEL_FORMAT,
            "params": {
                "threshold": self.threshold,
                "review_threshold": self.review_threshold,
                "seed": self.seed,
                "u_max_pairs": self.u_max_pairs,
                "em_max_pairs": self.em_max_pairs,
                "min_records_for_training": self.min_records_for_training,
                "prior_recall": self.prior_recall,
                "m_floor": self.m_floor,
                "min_confirmed_for_m": self.min_confirmed_for_m,
            },
            "n_records": self.n_records_,
            "trained": self.trained_,
            "features": self.features_,
            "comparisons": self.comparisons_,
            "blocking_rules": self.blocking_rules_,
            "confirmed_pairs": [list(p) for p in self.confirmed_pairs_],
            "rejected_pairs": [list(p) for p in self.rejected_pairs_],
            "splink_settings": self.settings_,
        }

    def save(self, path: str | Path) -> None:
        """Write the trained model (Splink settings + our metadata) as JSON."""
        Path(path).write_text(
            json.dumps(self.to_dict(), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DuplicateFinder:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"Not a {MODEL_FORMAT} model (format={data.get('format')!r})")
        finder = cls(**data["params"])
        finder.settings_ = data["splink_settings"]
        finder.n_records_ = data["n_records"]
        finder.trained_ = data["trained"]
        finder.features_ = list(data["features"])
        finder.comparisons_ = list(data["comparisons"])
        finder.blocking_rules_ = list(data["blocking_rules"])
        finder.dropped_blocking_rules_ = {}
        finder.confirmed_pairs_ = [tuple(p) for p in data.get("confirmed_pairs", [])]
        finder.rejected_pairs_ = [tuple(p) for p in data.get("rejected_pairs", [])]
        finder.probability_two_random_records_match_ = float(
            finder.settings_["probability_two_random_records_match"]
        )
        finder.timings_ = {}
        finder._linker_ = None
        finder._scorer = None
        return finder

    @classmethod
    def load(cls, path: str | Path) -> DuplicateFinder:
        """Load a model written by :meth:`save` (no data attached)."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
