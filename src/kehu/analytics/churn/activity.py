"""Non-contractual churn: P(no purchase in (calibration end, horizon end]) from a purchase log.

Method
------
BG/NBD (Fader, Hardie & Lee 2005) ranks customers by expected purchases from recency and
frequency alone. We learn the same target directly from the customer base's own past, in the
style of time-shifted ("stacked snapshot") churn models (e.g. Neslin et al. 2006; the
"as-of date" training tables of feature stores):

1. Let h be the horizon length. Training cut-offs ``c_k = cal - w - (k - 1) * step`` for
   k = 1..K, where the label window w = h when the history before ``cal - h`` is long enough,
   else the longest window that fits (half the history); every window ends by ``cal``.
2. At each cut-off, features from purchases up to ``c_k`` only (``features.FEATURES``:
   recency, rhythm and how overdue the customer is, purchase counts in recent windows, spend
   and its trend, BG/NBD refitted on that cut-off's data), and the label "no purchase in
   (c_k, c_k + w]". Features whose effect has an obvious direction (more recent purchases,
   higher P(alive): less risk) are held to it (``features.MONOTONE``).
3. LightGBM on the stacked rows; the most recent cut-off is the validation set for early
   stopping and for Platt scaling (a model trained on the older cut-offs scores it, so the
   calibration is out of sample); the final trees are fitted on all cut-offs with the chosen
   number of rounds.
4. Scoring at ``cal``: the same features as of ``cal``.

Rows with a negative amount are returns, not purchases (``purchases``). Only transactions
dated on or before ``cal`` are read (they are filtered before anything else
runs), so adding later rows to the log cannot change a score.

When w < h (a short history), the probabilities are those of no purchase in a window of w days
(reported as ``window_days_``): the ranking is what matters for whom to call first, and no
label of the full length exists to calibrate against.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import expit

from kehu.analytics import engines as E
from kehu.analytics.churn import features as F
from kehu.analytics.churn import metrics as M
from kehu.analytics.churn import reasons as R
from kehu.analytics.churn.contractual import _platt, _predict

PARAMS: dict[str, Any] = {
    "objective": "binary",
    # Small trees: the cut-offs shift the customers' ages, and deeper trees learn age-specific
    # splits that do not carry over to the scoring date (measured on CDNOW, see bench/README).
    "learning_rate": 0.03,
    "num_leaves": 4,
    "min_child_samples": 100,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
}


def _day(value: dt.date | str) -> int:
    return E.to_day(value)


def purchases(transactions: pa.Table) -> pa.Table:
    """The rows that are purchases: a negative amount is a return or a cancellation.

    A day with only a return on it is not a day the customer bought (a shop's log books the
    credit note of an earlier sale on the day it is made), so it neither counts as a purchase
    in the features nor as the purchase that makes a label "bought".
    """
    return transactions.filter(pc.greater_equal(transactions["amount"], 0.0))


class ActivityModel:
    """P(no purchase in the horizon) per customer; see the module docstring.

    Parameters
    ----------
    n_jobs: LightGBM threads.
    max_cutoffs: at most this many stacked training cut-offs.
    min_history_days: a cut-off needs this much history before it.
    engine: ``"duckdb"``, ``"spark"`` or an ``engines.Engine`` for the feature tables.
    random_state: LightGBM's seed.

    Attributes after ``fit``: ``calibration_day_``, ``horizon_days_``, ``window_days_``,
    ``cutoffs_`` (day numbers), ``booster_``, ``n_rounds_``, ``platt_``, ``base_rate_``,
    ``validation_`` (AUC of the model and of BG/NBD on the most recent training cut-off),
    ``scores_`` (one row per customer as of the calibration end).
    """

    def __init__(
        self,
        *,
        n_jobs: int = 1,
        max_cutoffs: int = 6,
        min_history_days: int = 60,
        engine: str | E.Engine = "duckdb",
        random_state: int = 0,
    ):
        self.n_jobs = n_jobs
        self.max_cutoffs = max_cutoffs
        self.min_history_days = min_history_days
        self.engine = engine
        self.random_state = random_state

    def fit(
        self, transactions: pa.Table, *, calibration_end: dt.date | str, horizon_end: dt.date | str
    ) -> ActivityModel:
        cal, end = _day(calibration_end), _day(horizon_end)
        if end <= cal:
            raise ValueError("the horizon end must be after the calibration end")
        bought = purchases(transactions)
        known = bought.filter(pc.less_equal(bought["date"], pa.scalar(E.from_day(cal))))
        if known.num_rows == 0:
            raise ValueError("no purchases on or before the calibration end")
        prepared = E.prepare({"transactions": known})
        first_day = int(pc.min(prepared["transactions"]["day"]).as_py())
        self.calibration_day_, self.horizon_days_ = cal, end - cal
        self.window_days_, self.cutoffs_ = self._cutoffs(first_day, cal, end - cal)
        own = not isinstance(self.engine, E.Engine)
        eng = E.Engine(self.engine) if isinstance(self.engine, str) else self.engine
        try:
            tx = eng.register(prepared["transactions"], "churn_tx")
            stacked = [self._snapshot(eng, tx, c, labelled=True) for c in self.cutoffs_]
            now = self._snapshot(eng, tx, cal, labelled=False)
        finally:
            if own:
                eng.close()
        self._train(stacked)
        self.scores_ = self._score(now, prepared["customer_ids"])
        return self

    def _cutoffs(self, first_day: int, cal: int, horizon: int) -> tuple[int, list[int]]:
        history = cal - first_day
        window = horizon
        if history - window < self.min_history_days:
            window = max(7, history // 2)
        if history - window < min(self.min_history_days, history // 2) or window < 7:
            raise ValueError(
                f"too little history before the calibration end ({history} days) to learn from"
            )
        step = max(7, min(window, 91) // 2) if window < horizon else max(7, min(window, 91))
        cutoffs = []
        for k in range(self.max_cutoffs):
            c = cal - window - k * step
            if c - first_day < min(self.min_history_days, history // 2):
                break
            cutoffs.append(c)
        return window, cutoffs

    def _snapshot(self, eng: E.Engine, tx, cutoff: int, *, labelled: bool) -> dict[str, Any]:
        w = self.window_days_
        facts = eng.to_arrow(F.facts(tx, as_of_day=cutoff, window_days=w)).sort_by("customer_id")
        feats = F.derive(facts, as_of_day=cutoff, window_days=w)
        snap: dict[str, Any] = {"ids": facts["customer_id"].to_numpy(), "features": feats}
        if labelled:
            counts = eng.to_arrow(F.labels(tx, as_of_day=cutoff, window_days=w))
            bought = np.isin(snap["ids"], counts["customer_id"].to_numpy())
            snap["y"] = (~bought).astype(np.int64)
        else:
            first = facts["first_day"].to_numpy().astype(np.float64)
            last = facts["last_day"].to_numpy().astype(np.float64)
            x = facts["n_days"].to_numpy().astype(np.float64) - 1
            snap["horizon"] = F.bgnbd(x, last - first, cutoff - first, self.horizon_days_)
        return snap

    @staticmethod
    def _matrix(feats: dict[str, np.ndarray]) -> np.ndarray:
        return np.column_stack([feats[name] for name in F.FEATURES])

    def _params(self) -> dict[str, Any]:
        return {
            **PARAMS,
            "monotone_constraints": [F.MONOTONE.get(name, 0) for name in F.FEATURES],
            "monotone_constraints_method": "advanced",
            "num_threads": self.n_jobs,
            "seed": self.random_state,
            "deterministic": True,
            "force_row_wise": True,
        }

    def _train(self, stacked: list[dict[str, Any]]) -> None:
        X = np.vstack([self._matrix(s["features"]) for s in stacked])
        y = np.concatenate([s["y"] for s in stacked])
        if len(np.unique(y)) < 2:
            raise ValueError(
                "every customer did the same in the training windows: nothing to learn"
            )
        if len(stacked) >= 2:
            n_val = len(stacked[0]["y"])
            is_val = np.zeros(len(y), dtype=bool)
            is_val[:n_val] = True  # cut-off 1, the most recent
        else:
            rng = np.random.default_rng(self.random_state)
            is_val = rng.random(len(y)) < 0.25
        params = {**self._params(), "metric": "auc"}
        train = lgb.Dataset(X[~is_val], y[~is_val], free_raw_data=False)
        valid = lgb.Dataset(X[is_val], y[is_val], reference=train)
        probe = lgb.train(
            params,
            train,
            num_boost_round=1000,
            valid_sets=[valid],
            callbacks=[lgb.early_stopping(50, verbose=False)],
        )
        self.n_rounds_ = max(1, probe.best_iteration)
        raw_val = _predict(probe, X[is_val], raw_score=True, num_iteration=self.n_rounds_)
        self.platt_ = _platt(raw_val, y[is_val])
        val_feats = stacked[0]["features"] if len(stacked) >= 2 else None
        self.validation_ = {
            "rows": int(is_val.sum()),
            "model_auc": M.auc(y[is_val], raw_val),
        }
        if val_feats is not None:
            yv = y[is_val]
            self.validation_["bgnbd_expected_auc"] = M.auc(
                yv, -np.nan_to_num(val_feats["expected"])
            )
        self.base_rate_ = float(y.mean())
        params.pop("metric")
        self.booster_ = lgb.train(params, lgb.Dataset(X, y), num_boost_round=self.n_rounds_)
        self.training_rows_ = int(len(y))

    def predict_raw(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        a, b = self.platt_
        return (
            a
            * _predict(self.booster_, self._matrix(feats), raw_score=True, num_threads=self.n_jobs)
            + b
        )

    def predict_proba(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        return expit(self.predict_raw(feats))  # no overflow warning for a very safe customer

    def group_contributions(self, feats: dict[str, np.ndarray]) -> np.ndarray:
        """(customers, reason groups) contributions to the calibrated log-odds."""
        contrib = _predict(
            self.booster_, self._matrix(feats), pred_contrib=True, num_threads=self.n_jobs
        )[:, :-1]
        out = np.zeros((len(contrib), len(F.GROUP_NAMES)))
        for j, name in enumerate(F.FEATURES):
            out[:, F.GROUP_NAMES.index(F.GROUPS[name])] += contrib[:, j]
        return self.platt_[0] * out

    def _score(self, snap: dict[str, Any], ids: pa.Table) -> pd.DataFrame:
        feats = snap["features"]
        customer = ids["customer_id"].take(pa.array(snap["ids"])).to_pylist()
        return pd.DataFrame(
            {
                "id": customer,
                "churn_probability": self.predict_proba(feats),
                "p_alive": snap["horizon"]["p_alive"],
                "expected_purchases": snap["horizon"]["expected"],
                **{f"_{k}": v for k, v in feats.items()},
            }
        )

    def reasons(self, lang: str = "en", k: int = 3) -> list[list[str]]:
        """Top reasons of each customer in ``scores_`` (same order), in ``lang``."""
        table = self.scores_
        feats = {name: table[f"_{name}"].to_numpy() for name in F.FEATURES}
        contrib = self.group_contributions(feats)
        words = R.PHRASES[R.language(lang)]
        window = self.window_days_

        def describe(i: int, g: int) -> str:
            return _activity_phrase(
                F.GROUP_NAMES[g], {n: v[i] for n, v in feats.items()}, words, window
            )

        probs = table["churn_probability"].to_numpy()
        return R.top_reasons(contrib, probs, self.base_rate_, describe, k=k)


def few_purchases(count: float) -> str:
    """An expected number of purchases as a reader takes it in: 2.4, 0.35, <0.01 (rounded to
    one decimal a one-time buyer's 0.009 would read "only 0 times")."""
    if count >= 0.95:
        tenths = round(count, 1)
        return R.number(tenths) if tenths.is_integer() else f"{tenths:,.1f}"
    if count < 0.005:
        return "<0.01"
    return R.number(round(count, 2))


def _activity_phrase(group: str, f: dict[str, float], words: dict[str, str], window: int) -> str:
    def whole(v: float) -> str:
        return R.number(round(float(v)))

    if group == "overdue":
        if not np.isfinite(f["mean_gap"]):
            return words["overdue_single"].format(days=whole(f["days_since_last"]))
        return words["overdue"].format(days=whole(f["days_since_last"]), gap=whole(f["mean_gap"]))
    if group == "spend":
        trend = f["spend_trend"]
        if not np.isfinite(trend):
            return words["spend_new"]
        key = "spend_down" if trend < 0 else "spend_up"
        return words[key].format(pct=whole(abs(trend) * 100))
    if group == "slowing":
        return words["slowing"].format(
            recent=whole(f["recent"]), before=whole(f["before"]), window=window
        )
    if group == "frequency":
        return words["frequency"].format(count=whole(f["frequency"] + 1))
    if group == "alive":
        if np.isfinite(f["p_alive"]) and f["p_alive"] < 0.5:
            return words["alive"].format(pct=whole(100 * f["p_alive"]))
        return words["expected"].format(count=few_purchases(float(f["expected"])), window=window)
    if group == "season" and np.isfinite(f["season"]):
        if f["season"] == 0:
            return words["season_none"].format(window=window)
        return words["season"].format(count=whole(f["season"]), window=window)
    if group in ("tenure", "season"):  # no season yet: a customer for less than a year
        return words["tenure"].format(days=whole(f["tenure"]))
    return words["monetary"].format(value=R.number(round(float(f["avg_spend"]), 2)))
