"""How far above BG/NBD can any ranking of these customers get? An upper reference for the
activity model's margin on real purchase logs (#10's target is about +0.01 AUC).

    nice .venv/bin/python bench/bench_churn_ceiling.py [--logs cdnow_rest,cdnow_sample]

For each split of ``bench_churn.purchase_logs`` (calibration end, horizon end), the activity
model is fitted as ``kehu churn activity`` fits it (out of time: it only sees cut-offs before
the calibration end). Beside it, a model that is not allowed in production is cross-validated
**on the split's own future labels** (did the customer buy in (calibration end, horizon end]?):
five folds over the customers, LightGBM with the activity model's parameters (early stopping on
a fifth of each training fold), on

* ``features``: the activity model's own features as of the calibration end;
* ``features + sequence``: those plus the last four gaps between purchase days and the spend
  of the last four purchase days, the first day's spend, transactions per purchase day and
  the first purchase day (what a purchase log holds beyond the features).

Such a model sees the very period it is judged on (only not the customer it scores), so what
it gains over BG/NBD's expected-purchases ranking is a generous reference for what these
learners can get from the log, not a bound for every method. Writes
bench/results/churn_ceiling.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.model_selection import StratifiedKFold

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_churn import RESULTS, purchase_logs  # noqa: E402

from kehu.analytics import io  # noqa: E402
from kehu.analytics.churn import features as F  # noqa: E402
from kehu.analytics.churn import metrics as M  # noqa: E402
from kehu.analytics.churn.activity import ActivityModel  # noqa: E402


def sequence_features(frame: pd.DataFrame, ids: np.ndarray, cal: pd.Timestamp) -> np.ndarray:
    """Per customer (in ``ids`` order), what the log says beyond the model's features."""
    known = frame[frame["when"] <= cal]
    daily = (
        known.groupby(["customer_id", "when"])
        .agg(spend=("amount", "sum"), rows=("amount", "size"))
        .reset_index()
        .sort_values(["customer_id", "when"])
    )
    daily["gap"] = daily.groupby("customer_id")["when"].diff().dt.days
    daily["from_last"] = daily.groupby("customer_id").cumcount(ascending=False)
    columns = []
    for k in range(4):
        kth = daily[daily["from_last"] == k].set_index("customer_id")
        columns += [kth["gap"].reindex(ids), kth["spend"].reindex(ids)]
    per = daily.groupby("customer_id")
    first = per.first()
    columns += [
        first["spend"].reindex(ids),
        (per["rows"].sum() / per.size()).reindex(ids),
        (first["when"] - cal).dt.days.reindex(ids),
    ]
    return np.column_stack([c.to_numpy(dtype=float) for c in columns])


def cross_validated(model: ActivityModel, X: np.ndarray, y: np.ndarray, with_constraints: bool):
    params = {**model._params(), "metric": "auc"}
    if not with_constraints:
        params.pop("monotone_constraints")
        params.pop("monotone_constraints_method")
    out = np.zeros(len(y))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(X, y):
        inner = np.random.default_rng(0).random(len(train)) < 0.2
        fit = lgb.Dataset(X[train][~inner], y[train][~inner])
        stop = lgb.Dataset(X[train][inner], y[train][inner], reference=fit)
        booster = lgb.train(
            params,
            fit,
            num_boost_round=3000,
            valid_sets=[stop],
            callbacks=[lgb.early_stopping(100, verbose=False)],
        )
        out[test] = booster.predict(X[test], raw_score=True, num_iteration=booster.best_iteration)
    return out


def measure(name: str, frame: pd.DataFrame, cal: str, end: str, n_jobs: int) -> dict:
    table = io.validate(pa.Table.from_pandas(frame, preserve_index=False), "transactions")
    model = ActivityModel(n_jobs=n_jobs).fit(table, calibration_end=cal, horizon_end=end)
    scores = model.scores_
    when = pd.to_datetime(frame["date"])
    later = frame[(when > pd.Timestamp(cal)) & (when <= pd.Timestamp(end))]
    y = (~scores["id"].isin(set(later["customer_id"]))).to_numpy().astype(int)
    bgnbd = M.auc(y, -scores["expected_purchases"].to_numpy())
    X = np.column_stack([scores[f"_{n}"].to_numpy() for n in F.FEATURES])
    seq = sequence_features(frame.assign(when=when), scores["id"].to_numpy(), pd.Timestamp(cal))
    row = {
        "data": name,
        "calibration_end": cal,
        "horizon_end": end,
        "customers": len(y),
        "bgnbd_auc": round(bgnbd, 4),
        "model": round(M.auc(y, scores["churn_probability"].to_numpy()) - bgnbd, 4),
        "features": round(M.auc(y, cross_validated(model, X, y, True)) - bgnbd, 4),
        "features_sequence": round(
            M.auc(y, cross_validated(model, np.hstack([X, seq]), y, False)) - bgnbd, 4
        ),
    }
    print(row, flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", default="cdnow_rest,cdnow_sample")
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    logs = purchase_logs()
    rows = []
    for name in args.logs.split(","):
        frame, splits = logs[name]
        rows += [measure(name, frame, cal, end, args.n_jobs) for cal, end in splits]
    print(f"\n{'log':<14}{'split':<24}{'model':>8}{'CV features':>13}{'+ sequence':>12}")
    for r in rows:
        split = f"{r['calibration_end']} → {r['horizon_end']}"
        print(
            f"{r['data']:<14}{split:<24}{r['model']:>+8.4f}{r['features']:>+13.4f}"
            f"{r['features_sequence']:>+12.4f}"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "churn_ceiling.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
