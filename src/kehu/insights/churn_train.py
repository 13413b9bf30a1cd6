"""``kehu churn train``: fit the churn models on the database, backtest them, store them.

Contractual (``churn_data``): features as of ``as_of − horizon`` for every customer who was a
buyer or under contract then, labelled by who left in the horizon after it (contract ended or
cancelled, or a year of silence by ``as_of``: the lifecycle's "lost"). Fitted with
``ChurnClassifier`` (LightGBM on a logistic base, calibrated out of fold, with the logistic
baseline on a held-out fifth). Backtest: for each of the last N month-ends m whose horizon has
passed, a model with the chosen settings is fitted on data up to m only (features as of
m − horizon, labels by m) and scores the customers as of m against who left by m + horizon.

Activity (``kehu.analytics.churn.activity``): time-shifted windows of the order history.
Held-out figures: a model fitted with the data up to ``as_of − horizon`` scores that date and is
compared with who bought in the following window, beside BG/NBD's P(no purchase) (the floor
the issue names as its baseline). The stored model is then refitted with all data up to
``as_of``; the backtest replays the last N month-ends (``backtest_activity``).

A new model goes live only if its held-out AUC is not below its baseline's nor below the live
model's of the same kind, by more than ``AUC_TOLERANCE`` (``contractual.replace_if_better``);
otherwise it is stored as
``refused`` with the reason, and the live model stays. Every stored model is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction
from django.utils import timezone

from kehu.analytics import schema as S
from kehu.analytics.churn import features as AF
from kehu.analytics.churn import metrics as M
from kehu.analytics.churn.activity import ActivityModel
from kehu.analytics.churn.backtest import backtest_activity, month_ends
from kehu.analytics.churn.contractual import ChurnClassifier, replace_if_better
from kehu.core import audit
from kehu.insights import churn as C
from kehu.insights import churn_data as D
from kehu.insights import extract
from kehu.insights.models import AnalyticsConfig, ChurnBacktest, ChurnModel, ChurnModelKind
from kehu.insights.services import _json_safe

KINDS = ("contractual", "activity", "auto")
# "Not worse" allows this much less held-out AUC: on a few hundred held-out customers two
# models a few thousandths apart are a tie (the AUC's standard error is larger), and refusing
# on noise would keep a stale model live.
AUC_TOLERANCE = 0.005
MIN_ROWS = 50
MIN_CLASS = 10
Progress = Callable[[str], None]


class CannotTrain(ValueError):
    """The data cannot train this kind of model (too few rows, one class, no history)."""


# --------------------------------------------------------------------------- contractual


def _contractual_table(sources: D.Sources, keys: list[str], start: dt.date, end: dt.date, od: int):
    frame = D.feature_frame(sources, as_of=start, keys=keys, overdue_days=od)
    y = D.left_between(sources, frame.index, start, end)
    keep = y.notna().to_numpy()
    return frame.loc[keep], y[keep].to_numpy().astype(np.int64)


def _check_labels(y: np.ndarray, what: str) -> None:
    positives = int(y.sum())
    if len(y) < MIN_ROWS or positives < MIN_CLASS or len(y) - positives < MIN_CLASS:
        raise CannotTrain(
            f"{what}: {len(y)} customers, {positives} who left; need at least {MIN_ROWS} "
            f"customers with {MIN_CLASS} in each class"
        )


def fit_contractual(
    *, as_of: dt.date, horizon: int, months: int, overdue_days: int, progress: Progress
) -> dict[str, Any]:
    sources = D.read_sources()
    keys = D.attribute_keys(sources)
    progress("read the database")
    cutoff = as_of - dt.timedelta(days=horizon)
    frame, y = _contractual_table(sources, keys, cutoff, as_of, overdue_days)
    _check_labels(y, f"customers who could leave between {cutoff} and {as_of}")
    columns = list(frame.columns)
    model = ChurnClassifier(n_jobs=1).fit(frame, y, columns)
    progress("fit")
    chosen = ({k: model.params_[k] for k in ("num_leaves", "min_child_samples")},)
    backtest = []
    for m in month_ends(cutoff, months):
        start = m - dt.timedelta(days=horizon)
        try:
            f_tr, y_tr = _contractual_table(sources, keys, start, m, overdue_days)
            _check_labels(y_tr, str(m))
            f_sc, y_sc = _contractual_table(
                sources, keys, m, m + dt.timedelta(horizon), overdue_days
            )
            past = ChurnClassifier(n_jobs=1, grid=chosen).fit(f_tr, y_tr, columns)
        except ValueError:
            continue  # too little history for that month: it is left out, not made up
        prob = past.predict_proba(f_sc)
        backtest.append(_backtest_row(m, y_sc, prob))
    progress("backtest")
    return {
        "payload": model.to_bytes(attribute_keys=keys, horizon_days=horizon, as_of=str(as_of)),
        "metrics": model.metrics_,
        "training_rows": model.fitted_rows_,
        "positive_rate": float(y.mean()),
        "features": columns,
        "backtest": backtest,
    }


def _backtest_row(month_end: dt.date, y: np.ndarray, prob: np.ndarray) -> dict[str, Any]:
    report = M.report(y, prob)
    return {
        "month_end": month_end,
        "customers": int(len(y)),
        "churn_rate": report["base_rate"],
        "auc": report["auc"],
        "lift_top_decile": report["top_decile_lift"],
        "calibration": M.calibration_table(y, prob),
    }


# --------------------------------------------------------------------------- activity


def read_transactions(as_of: dt.date) -> pa.Table:
    qs = extract.transactions_query(as_of=as_of)
    return S.conform("transactions", extract.read_arrow(qs, S.TRANSACTIONS))


def fit_activity(
    *, as_of: dt.date, horizon: int, months: int, progress: Progress
) -> dict[str, Any]:
    tx = read_transactions(as_of)
    progress("read the database")
    if tx.num_rows == 0:
        raise CannotTrain("no completed orders to learn purchase activity from")
    cal = as_of - dt.timedelta(days=horizon)
    past = ActivityModel(n_jobs=1).fit(tx, calibration_end=cal, horizon_end=as_of)
    window_end = cal + dt.timedelta(days=past.window_days_)
    after = tx.filter(
        pc.and_(
            pc.greater(tx["date"], pa.scalar(cal)), pc.less_equal(tx["date"], pa.scalar(window_end))
        )
    )
    scores = past.scores_
    bought = np.isin(
        scores["id"].astype(str).to_numpy(), pc.unique(after["customer_id"]).to_pylist()
    )
    y = (~bought).astype(np.int64)
    prob = scores["churn_probability"].to_numpy()
    floor = np.nan_to_num(scores["_p_none"].to_numpy(), nan=0.5)
    metrics = {
        "model": M.report(y, prob),
        "baseline": M.report(y, floor),
        "baseline_name": "BG/NBD",
        "held_out_from": str(cal),
        "window_days": past.window_days_,
    }
    model = ActivityModel(n_jobs=1).fit(
        tx, calibration_end=as_of, horizon_end=as_of + dt.timedelta(days=horizon)
    )
    progress("fit")
    rows = backtest_activity(tx, months=months, horizon_days=horizon, data_end=as_of)
    backtest = [
        {
            "month_end": dt.date.fromisoformat(r["month_end"]),
            "customers": r["n"],
            "churn_rate": r["base_rate"],
            "auc": r["auc"],
            "lift_top_decile": r["top_decile_lift"],
            "calibration": r["calibration"],
        }
        for r in rows
    ]
    progress("backtest")
    metrics["validation"] = model.validation_
    return {
        "payload": C.activity_to_bytes(model),
        "metrics": metrics,
        "training_rows": model.training_rows_,
        "positive_rate": model.base_rate_,
        "features": list(AF.FEATURES),
        "backtest": backtest,
    }


# --------------------------------------------------------------------------- storing


@transaction.atomic
def store_model(*, kind: str, as_of: dt.date, fitted: dict[str, Any], by: Any) -> ChurnModel:
    """Store the fitted model, live or refused (the live one stays), with its backtest."""
    live = (
        ChurnModel.objects.select_for_update()
        .filter(kind=kind, status=ChurnModel.Status.LIVE)
        .order_by("-trained_at")
        .first()
    )
    metrics = _json_safe(fitted["metrics"])
    decision = replace_if_better(
        _finite(fitted["metrics"]),
        _finite(live.metrics) if live is not None else None,
        tolerance=AUC_TOLERANCE,
    )
    reason = decision.reason
    if kind == ChurnModelKind.ACTIVITY:
        reason = reason.replace("the logistic baseline", "BG/NBD (the baseline)")
    # The decision as a code with its figures: the models page words it in the reader's
    # language (``ChurnModel.refusal_text``); ``refusal`` keeps the English sentence.
    metrics["decision"] = {"code": decision.code, "params": _json_safe(decision.params)}
    record = ChurnModel.objects.create(
        kind=kind,
        status=ChurnModel.Status.LIVE if decision.replace else ChurnModel.Status.REFUSED,
        refusal="" if decision.replace else reason,
        trained_at=timezone.now(),
        as_of=as_of,
        training_rows=fitted["training_rows"],
        positive_rate=fitted["positive_rate"],
        features=fitted["features"],
        metrics=metrics,
        payload=fitted["payload"],
        trained_by=by if getattr(by, "pk", None) else None,
    )
    if decision.replace and live is not None:
        live.status = ChurnModel.Status.RETIRED
        live.save(update_fields=["status"])
    ChurnBacktest.objects.bulk_create(
        ChurnBacktest(model=record, **_json_safe_row(row)) for row in fitted["backtest"]
    )
    audit.record(
        action="create",
        instance=record,
        changes={
            "status": [None, record.status],
            "auc": [None, metrics["model"].get("auc")],
            "baseline_auc": [None, metrics["baseline"].get("auc")],
            "replaced": [None, live.pk if decision.replace and live is not None else None],
        },
        summary=f"churn model ({kind}) {record.status}: {reason}",
        user=by if getattr(by, "pk", None) else None,
    )
    return record


def _finite(metrics: dict[str, Any]) -> dict[str, Any]:
    # replace_if_better reads metrics["model"]["auc"]: stored JSON has null for NaN.
    out = dict(metrics)
    for part in ("model", "baseline"):
        figures = dict(out.get(part) or {})
        auc = figures.get("auc")
        figures["auc"] = float("nan") if auc is None else float(auc)
        out[part] = figures
    return out


def _json_safe_row(row: dict[str, Any]) -> dict[str, Any]:
    safe = _json_safe({k: v for k, v in row.items() if k != "month_end"})
    return {"month_end": row["month_end"], **safe}


def train(
    *,
    kind: str = "auto",
    as_of: dt.date | None = None,
    months: int = 6,
    by: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[ChurnModel], list[str]]:
    """Train, backtest and store models; returns (stored models, notes on kinds skipped).

    ``auto`` trains both kinds where the data allows (a contractual model needs customers who
    left and stayed in the past horizon; an activity model needs an order history) and notes
    the kinds it could not train; an explicit kind raises ``CannotTrain`` instead."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} ({', '.join(KINDS)})")
    as_of = as_of or timezone.localdate()
    config = AnalyticsConfig.load()
    horizon = config.churn_horizon_days
    kinds = ["contractual", "activity"] if kind == "auto" else [kind]
    steps = len(kinds) * 4
    done = [0]

    def step(name: str) -> None:
        done[0] += 1
        if progress is not None:
            progress(name, done[0], steps)

    stored, notes = [], []
    for k in kinds:

        def progress_of(s: str, k: str = k) -> None:
            step(f"{k}: {s}")

        try:
            if k == ChurnModelKind.CONTRACTUAL:
                fitted = fit_contractual(
                    as_of=as_of,
                    horizon=horizon,
                    months=months,
                    overdue_days=config.overdue_days,
                    progress=progress_of,
                )
            else:
                fitted = fit_activity(
                    as_of=as_of,
                    horizon=horizon,
                    months=months,
                    progress=progress_of,
                )
        except ValueError as exc:
            if kind != "auto":
                raise CannotTrain(f"{k}: {exc}") from exc
            notes.append(f"{k} model not trained: {exc}")
            done[0] = kinds.index(k) * 4 + 3
            continue
        stored.append(store_model(kind=k, as_of=as_of, fitted=fitted, by=by))
        step(f"{k}: stored")
    return stored, notes
