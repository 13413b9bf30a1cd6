"""Churn risk in the nightly run (C5): every customer's P(leaving), band, reasons, value at risk.

Which model scores whom
-----------------------
1. The live **contractual** model (``kehu churn train --kind contractual``), for the customers
   who carry its contract/plan features: at least one of the custom attributes it was trained
   on (a model trained without attributes covers every buyer it can describe).
2. Everyone else who has bought: the **activity** model, P(no purchase in the next
   ``AnalyticsConfig.churn_horizon_days``). The live activity model when one was trained;
   otherwise one is fitted for the run on the run's own order history (time-shifted windows,
   as ``kehu churn activity`` does; data up to the run's date only). Fitting is the honest
   default: it is the model that beat BG/NBD on held-out data, where 1 − P(alive) is only the
   floor. Only when no model can be fitted (too little history, everyone did the same) the run
   falls back to 1 − P(alive) of the value run's BG/NBD, and says so in the summary
   (``summary["churn"]["activity"]``); such scores carry no reasons (there are no
   contributions to explain them).
3. Prospects without orders and without contract features get no score.

Reasons are stored as codes with their parameters (``[{"code", "params", "contribution"}]``),
the model's own top positive contributions (LightGBM ``pred_contrib``), for the customers at or
above the model's base rate (as ``kehu churn score`` does); ``reason_words(reasons, lang)``
renders them with the phrases of ``kehu.analytics.churn.reasons`` in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import time
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lightgbm.basic import LightGBMError

from kehu.analytics import engines as E
from kehu.analytics.churn import features as AF
from kehu.analytics.churn import reasons as R
from kehu.analytics.churn.activity import ActivityModel, few_purchases, purchases
from kehu.analytics.churn.contractual import ChurnClassifier
from kehu.analytics.churn.tabular import ColumnSpec
from kehu.insights import churn_data as D

ACTIVITY_FORMAT = "kehu-churn-activity"
ACTIVITY_VERSION = 1
TOP_REASONS = 3

# Labels of the database features (kehu.insights.churn_data), (English, Chinese).
FEATURE_LABELS: dict[str, tuple[str, str]] = {
    "kind": ("customer type", "客户类型"),
    "source": ("source", "来源"),
    "industry": ("industry", "行业"),
    "employees": ("employees", "员工人数"),
    "gender": ("gender", "性别"),
    "age_band": ("age band", "年龄段"),
    "income_band": ("income band", "收入段"),
    "tenure_days": ("days as a customer", "成为客户天数"),
    "orders_year": ("orders in the last year", "近一年订单数"),
    "orders_prior_year": ("orders in the year before", "前一年订单数"),
    "spend_year": ("spend in the last year", "近一年消费"),
    "spend_prior_year": ("spend in the year before", "前一年消费"),
    "days_since_order": ("days since the last order", "距上次下单天数"),
    "late_share": ("share of invoices paid late", "逾期付款发票占比"),
    "overdue_amount": ("long-overdue unpaid amount", "长期逾期未付金额"),
    "written_off": ("amount written off", "已核销坏账"),
    "tickets_year": ("service tickets in the last year", "近一年服务工单"),
    "complaints_year": ("complaints in the last year", "近一年投诉"),
    "complaints_unresolved": ("complaints unresolved", "未解决投诉"),
    "interactions_year": ("contacts in the last year", "近一年联系次数"),
}


# --------------------------------------------------------------------------- reasons


def _jsonable_number(value: float) -> float | None:
    value = float(value)
    return round(value, 4) if math.isfinite(value) else None


def contractual_reason(spec: ColumnSpec, value: float) -> dict[str, Any]:
    """The code and parameters of one input column's value (as ``reasons.column_reason``)."""
    params: dict[str, Any] = {"column": spec.name}
    if not math.isfinite(value):
        return {"code": "missing", "params": params}
    if spec.kind == "category":
        if int(value) >= len(spec.levels):
            return {"code": "other", "params": params}
        return {"code": "category", "params": {**params, "value": spec.levels[int(value)]}}
    if spec.kind == "boolean":
        return {"code": "yes" if value >= 0.5 else "no", "params": params}
    side = "high" if value > spec.median else "low"
    params.update(value=_jsonable_number(value), typical=_jsonable_number(spec.median))
    return {"code": side, "params": params}


def activity_reason(group: str, f: dict[str, float], window: int) -> dict[str, Any]:
    """The code and parameters of one activity reason group (as the activity model words it)."""

    def whole(v: float) -> float | None:
        return _jsonable_number(round(float(v))) if math.isfinite(float(v)) else None

    if group == "overdue":
        if not math.isfinite(f["mean_gap"]):
            return {"code": "overdue_single", "params": {"days": whole(f["days_since_last"])}}
        return {
            "code": "overdue",
            "params": {"days": whole(f["days_since_last"]), "gap": whole(f["mean_gap"])},
        }
    if group == "spend":
        trend = f["spend_trend"]
        if not math.isfinite(trend):
            return {"code": "spend_new", "params": {}}
        code = "spend_down" if trend < 0 else "spend_up"
        return {"code": code, "params": {"pct": whole(abs(trend) * 100)}}
    if group == "slowing":
        return {
            "code": "slowing",
            "params": {
                "recent": whole(f["recent"]),
                "before": whole(f["before"]),
                "window": window,
            },
        }
    if group == "frequency":
        return {"code": "frequency", "params": {"count": whole(f["frequency"] + 1)}}
    if group == "alive":
        if math.isfinite(f["p_alive"]) and f["p_alive"] < 0.5:
            return {"code": "alive", "params": {"pct": whole(100 * f["p_alive"])}}
        # Three decimals kept: the words show 0.35 or <0.01 (activity.few_purchases).
        count = round(float(f["expected"]), 3) if math.isfinite(f["expected"]) else None
        return {"code": "expected", "params": {"count": count, "window": window}}
    if group == "season" and math.isfinite(f["season"]):
        if f["season"] == 0:
            return {"code": "season_none", "params": {"window": window}}
        return {"code": "season", "params": {"count": whole(f["season"]), "window": window}}
    if group in ("tenure", "season"):  # no season yet: a customer for less than a year
        return {"code": "tenure", "params": {"days": whole(f["tenure"])}}
    avg = float(f["avg_spend"])
    return {"code": "monetary", "params": {"value": round(avg, 2) if math.isfinite(avg) else None}}


def _label(column: str, lang: str) -> str:
    index = R.LANGUAGES.index(lang)
    if column in FEATURE_LABELS:
        return FEATURE_LABELS[column][index]
    return R._label(column.removeprefix("attr:"), lang)


def _number(value: Any) -> str:
    return "—" if value is None else R.number(float(value))


def reason_words(reasons: Sequence[dict[str, Any]] | None, lang: str | None = None) -> list[str]:
    """Stored reason codes (``CustomerScore.churn_reasons``) as phrases in ``lang`` ("en",
    "zh-Hans", or a Django language code such as "zh-hans"; default: the active language).
    An unknown code is skipped rather than shown as a code."""
    if lang is None:
        from django.utils import translation

        lang = translation.get_language() or "en"
    try:
        lang = R.language(lang)
    except ValueError:
        lang = "en"
    words = R.PHRASES[lang]
    out = []
    for reason in reasons or ():
        code, params = reason.get("code"), dict(reason.get("params") or {})
        if code not in words:
            continue
        column = params.pop("column", None)
        if column is not None:
            params["label"] = _label(column, lang)
            if code == "category":
                known = R.VALUE_PHRASES.get(
                    (R._key(column.removeprefix("attr:")), str(params.get("value")).lower())
                )
                if known:
                    out.append(known[R.LANGUAGES.index(lang)])
                    continue
        text = {k: v if isinstance(v, str) else _number(v) for k, v in params.items()}
        if code == "expected" and isinstance(params.get("count"), int | float):
            text["count"] = few_purchases(float(params["count"]))
        try:
            out.append(words[code].format(**text))
        except (KeyError, IndexError):
            continue
    return out


def _top(
    contrib: np.ndarray, probs: np.ndarray, base_rate: float, describe
) -> list[list[dict[str, Any]]]:
    def with_contribution(i: int, j: int) -> dict[str, Any]:
        reason = describe(i, j)
        reason["contribution"] = round(float(contrib[i, j]), 4)
        return reason

    return R.top_reasons(contrib, probs, base_rate, with_contribution, k=TOP_REASONS)  # type: ignore[arg-type, return-value]


# --------------------------------------------------------------------------- stored models


def activity_to_bytes(model: ActivityModel) -> bytes:
    """A fitted activity model as a zip of LightGBM's text and JSON settings (no pickle)."""
    meta = {
        "format": ACTIVITY_FORMAT,
        "version": ACTIVITY_VERSION,
        "horizon_days": model.horizon_days_,
        "window_days": model.window_days_,
        "n_rounds": model.n_rounds_,
        "platt": list(model.platt_),
        "base_rate": model.base_rate_,
        "features": list(AF.FEATURES),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("meta.json", json.dumps(meta))
        zf.writestr("model.txt", model.booster_.model_to_string())
    return buffer.getvalue()


def _activity_meta(data: bytes) -> tuple[dict[str, Any], str]:
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        meta = json.loads(zf.read("meta.json"))
        text = zf.read("model.txt").decode("utf-8")
    if meta.get("format") != ACTIVITY_FORMAT or meta.get("version") != ACTIVITY_VERSION:
        raise ValueError("not a Kehu activity churn model of a known version")
    if list(meta["features"]) != list(AF.FEATURES):
        raise ValueError("the stored activity model uses other features: train it again")
    return meta, text


def activity_model_outdated(data: bytes) -> bool:
    """Was this stored activity model written for other features (or another format) than
    this Kehu computes, so that the nightly run fits its own until it is trained again?"""
    try:
        _activity_meta(data)
    except (ValueError, KeyError, zipfile.BadZipFile):
        return True
    return False


def activity_from_bytes(data: bytes) -> ActivityModel:
    import lightgbm as lgb

    meta, text = _activity_meta(data)
    model = ActivityModel(n_jobs=1)
    model.horizon_days_ = int(meta["horizon_days"])
    model.window_days_ = int(meta["window_days"])
    model.n_rounds_ = int(meta["n_rounds"])
    model.platt_ = tuple(meta["platt"])  # type: ignore[assignment]
    model.base_rate_ = float(meta["base_rate"])
    model.booster_ = lgb.Booster(model_str=text)
    return model


def activity_features(
    model: ActivityModel, transactions: pa.Table, *, as_of: dt.date
) -> tuple[list[str], dict[str, np.ndarray]]:
    """(customer ids, features) as of ``as_of`` for a stored activity model: only purchases
    on or before ``as_of`` are read, and of them the purchases (``activity.purchases``)."""
    bought = purchases(transactions)
    known = bought.filter(pc.less_equal(bought["date"], pa.scalar(as_of)))
    if known.num_rows == 0:
        return [], {}
    prepared = E.prepare({"transactions": known})
    eng = E.Engine("duckdb")
    try:
        tx = eng.register(prepared["transactions"], "churn_tx")
        snap = model._snapshot(eng, tx, E.to_day(as_of), labelled=False)
    finally:
        eng.close()
    ids = prepared["customer_ids"]["customer_id"].take(pa.array(snap["ids"])).to_pylist()
    return ids, snap["features"]


# --------------------------------------------------------------------------- the nightly scoring


def band(prob: np.ndarray, *, high: float, medium: float) -> np.ndarray:
    out = np.full(len(prob), "", dtype=object)
    known = np.isfinite(prob)
    out[known] = "low"
    out[known & (prob >= medium)] = "medium"
    out[known & (prob >= high)] = "high"
    return out


class _Scores:
    """The run's churn columns, filled model by model (position = row of the value table)."""

    def __init__(self, ids: list[str]):
        self.position = {cid: i for i, cid in enumerate(ids)}
        n = len(ids)
        self.prob = np.full(n, np.nan)
        self.model = np.full(n, "", dtype=object)
        self.reasons: list[list[dict[str, Any]]] = [[] for _ in range(n)]

    def rows(self, ids: Sequence[Any]) -> np.ndarray:
        return np.array([self.position.get(str(c), -1) for c in ids], dtype=np.int64)

    def put(self, rows: np.ndarray, prob: np.ndarray, kind: str, reasons) -> int:
        keep = (rows >= 0) & np.isnan(self.prob[np.maximum(rows, 0)])
        for k in np.flatnonzero(keep):
            r = rows[k]
            self.prob[r] = prob[k]
            self.model[r] = kind
            self.reasons[r] = reasons[k]
        return int(keep.sum())


def _score_contractual(scores: _Scores, record, *, as_of: dt.date, overdue_days: int) -> int:
    model, meta = ChurnClassifier.from_bytes(bytes(record.payload))
    keys = list(meta.get("attribute_keys") or [])
    frame = D.feature_frame(D.read_sources(), as_of=as_of, keys=keys, overdue_days=overdue_days)
    attr_cols = [f"attr:{k}" for k in keys if f"attr:{k}" in {s.name for s in model.specs_}]
    if attr_cols:
        covered = frame[attr_cols].notna().any(axis=1).to_numpy()
    else:
        covered = (frame["orders_year"] + frame["orders_prior_year"] > 0).to_numpy()
    frame = frame.loc[covered]
    if frame.empty:
        return 0
    X = model.matrix(frame)
    prob = model.predict_proba_matrix(X)
    explain = np.flatnonzero(prob >= model.base_rate_)
    reasons: list[list[dict[str, Any]]] = [[] for _ in range(len(prob))]
    if len(explain):
        Xe = X[explain]
        contrib = model.contributions(Xe)
        specs = model.specs_

        def describe(i: int, j: int) -> dict[str, Any]:
            return contractual_reason(specs[j], float(Xe[i, j]))

        for k, row in zip(
            explain, _top(contrib, prob[explain], model.base_rate_, describe), strict=True
        ):
            reasons[k] = row
    return scores.put(scores.rows(frame.index.astype(str).tolist()), prob, "contractual", reasons)


def _activity_reasons(model: ActivityModel, feats: dict[str, np.ndarray], prob: np.ndarray):
    reasons: list[list[dict[str, Any]]] = [[] for _ in range(len(prob))]
    explain = np.flatnonzero(prob >= model.base_rate_)
    if not len(explain):
        return reasons
    sub = {name: values[explain] for name, values in feats.items()}
    contrib = model.group_contributions(sub)
    window = int(model.window_days_)

    def describe(i: int, g: int) -> dict[str, Any]:
        f = {name: float(values[i]) for name, values in sub.items()}
        return activity_reason(AF.GROUP_NAMES[g], f, window)

    for k, row in zip(
        explain, _top(contrib, prob[explain], model.base_rate_, describe), strict=True
    ):
        reasons[k] = row
    return reasons


def _floor_wins(model: ActivityModel) -> bool:
    validation = model.validation_
    mine, floor = validation.get("model_auc"), validation.get("bgnbd_expected_auc")
    return mine is not None and floor is not None and np.isfinite(floor) and mine < floor


def _floor_reasons(model: ActivityModel, feats: dict[str, np.ndarray], prob: np.ndarray):
    base = float(np.nanmean(prob))
    window = int(model.window_days_)
    out: list[list[dict[str, Any]]] = []
    for i in range(len(prob)):
        if prob[i] < base:
            out.append([])
            continue
        f = {name: float(values[i]) for name, values in feats.items()}
        out.append([{**activity_reason("alive", f, window), "contribution": None}])
    return out


def _score_activity(
    scores: _Scores, record, transactions: pa.Table, *, as_of: dt.date, horizon_days: int
) -> dict[str, Any]:
    """Activity scores; returns what was used, for the run summary."""
    skipped: dict[str, Any] = {}
    if record is not None:
        try:
            model = activity_from_bytes(bytes(record.payload))
        except ValueError as exc:
            # A live model of an older Kehu (other features): scoring goes on with a model
            # fitted tonight, as with no live model, and the summary says to train again.
            skipped = {"skipped_model_id": record.pk, "skipped_because": str(exc)}
            record = None
    if record is not None:
        ids, feats = activity_features(model, transactions, as_of=as_of)
        info: dict[str, Any] = {"source": "live", "model_id": record.pk}
        if not ids:
            return {**info, "scored": 0}
        prob = model.predict_proba(feats)
    else:
        model = ActivityModel(n_jobs=1).fit(
            transactions, calibration_end=as_of, horizon_end=as_of + dt.timedelta(horizon_days)
        )
        table = model.scores_
        ids = table["id"].astype(str).tolist()
        feats = {name: table[f"_{name}"].to_numpy() for name in AF.FEATURES}
        prob = table["churn_probability"].to_numpy()
        info = {
            "source": "fitted",
            **skipped,
            "window_days": model.window_days_,
            "validation_auc": model.validation_.get("model_auc"),
            "bgnbd_auc": model.validation_.get("bgnbd_expected_auc"),
        }
        if _floor_wins(model) and np.isfinite(feats["p_none"]).all():
            # The model lost to BG/NBD on its own latest window (the rule ``kehu churn
            # train`` applies): BG/NBD's P(no purchase in the window) is the score, and its
            # reason is the BG/NBD quantity it comes from.
            prob = feats["p_none"]
            info["source"] = "bgnbd"
            reasons = _floor_reasons(model, feats, prob)
            info["scored"] = scores.put(scores.rows(ids), prob, "activity", reasons)
            return info
    reasons = _activity_reasons(model, feats, prob)
    info["scored"] = scores.put(scores.rows(ids), prob, "activity", reasons)
    return info


def score_run(
    *,
    tables: dict[str, pa.Table],
    customers: pa.Table,
    as_of: dt.date,
    config: Any,
    previous: dict[int, float],
    unit_days: float = 7.0,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The churn columns for the value run's ``customers`` table (same row order) and the
    summary of how they were made. ``previous``: customer id -> probability in the last run."""
    from kehu.insights.models import ChurnModel, ChurnModelKind

    started = time.perf_counter()
    ids = [str(c) for c in customers["customer_id"].to_pylist()]
    scores = _Scores(ids)
    summary: dict[str, Any] = {}
    live = {
        m.kind: m
        for m in ChurnModel.objects.filter(status=ChurnModel.Status.LIVE).order_by("trained_at")
    }
    contractual = live.get(ChurnModelKind.CONTRACTUAL)
    if contractual is not None:
        n = _score_contractual(scores, contractual, as_of=as_of, overdue_days=config.overdue_days)
        summary["contractual"] = {"model_id": contractual.pk, "scored": n}
    transactions = tables["transactions"]
    try:
        summary["activity"] = _score_activity(
            scores,
            live.get(ChurnModelKind.ACTIVITY),
            transactions,
            as_of=as_of,
            horizon_days=config.churn_horizon_days,
        )
    except (ValueError, LightGBMError) as exc:
        # No model can be learned from this history (too short, one class, too few rows for
        # LightGBM): BG/NBD's 1 - P(alive) is the floor.
        p_alive = customers["p_alive"].to_numpy(zero_copy_only=False).astype(np.float64)
        rows = np.flatnonzero(np.isfinite(p_alive))
        n = scores.put(rows, 1.0 - p_alive[rows], "activity", [[] for _ in rows])
        summary["activity"] = {"source": "p_alive", "reason": str(exc), "scored": n}

    prob = scores.prob
    value = _value(customers, unit_days=unit_days)
    at_risk = np.where(np.isfinite(prob), prob * value, np.nan)
    before = np.array([previous.get(int(c), np.nan) for c in ids], dtype=np.float64)
    bands = band(prob, high=config.churn_band_high, medium=config.churn_band_medium)
    summary["scored"] = int(np.isfinite(prob).sum())
    summary["bands"] = {b: int((bands == b).sum()) for b in ("high", "medium", "low")}
    summary["value_at_risk"] = float(np.nansum(at_risk))
    summary["reason_filters"] = reason_filter_counts(scores.reasons, bands)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    columns = {
        "churn_model": scores.model.tolist(),
        "churn_probability": prob,
        "churn_band": bands.tolist(),
        "churn_reasons": [json.dumps(r, ensure_ascii=False) for r in scores.reasons],
        "value_at_risk": at_risk,
        "churn_change": prob - before,
    }
    return columns, summary


REASON_FILTERS_KEPT = 40


def reason_filter_key(reason: dict[str, Any]) -> str:
    """What the at-risk page filters on: the code, with its input column where the code is
    about one (the contractual model's "high", "yes", "category" mean nothing without it)."""
    column = (reason.get("params") or {}).get("column")
    return f"{reason['code']}:{column}" if column else str(reason["code"])


def reason_filter_counts(
    reasons: Sequence[Sequence[dict[str, Any]]], bands: np.ndarray
) -> dict[str, int]:
    """How many medium- and high-risk customers carry each filter key among their reasons:
    the at-risk page offers these (most frequent first), so its reason filter lists what the
    run actually said, one entry per input column."""
    counts: dict[str, int] = {}
    for row, band_ in zip(reasons, bands, strict=True):
        if band_ not in ("high", "medium"):
            continue
        for key in {reason_filter_key(r) for r in row if r.get("code")}:
            counts[key] = counts.get(key, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:REASON_FILTERS_KEPT]
    return dict(top)


def _value(customers: pa.Table, *, unit_days: float) -> np.ndarray:
    """What a leaver takes away: the predicted lifetime value, or, where there is none, a
    year's profit (profit per day of the relationship × 365); never negative."""
    clv = customers["clv"].to_numpy(zero_copy_only=False).astype(np.float64)
    profit = customers["profit"].to_numpy(zero_copy_only=False).astype(np.float64)
    # T: time since the first purchase in the value run's BG/NBD time unit.
    age = customers["T"].to_numpy(zero_copy_only=False).astype(np.float64) * unit_days
    days = np.where(np.isfinite(age), np.maximum(age, 365.0), 365.0)
    yearly = np.nan_to_num(profit) * 365.0 / days
    value = np.where(np.isfinite(clv), clv, yearly)
    return np.maximum(value, 0.0)


def previous_probabilities(run_id: int, as_of: dt.date) -> dict[int, float]:
    """customer id -> churn probability in the latest successful run before this one."""
    from kehu.insights.models import AnalyticsRun, CustomerScore

    before = (
        AnalyticsRun.objects.filter(status=AnalyticsRun.Status.SUCCEEDED, as_of__lte=as_of)
        .exclude(pk=run_id)
        .order_by("-as_of", "-finished_at", "-id")
        .first()
    )
    if before is None:
        return {}
    rows = (
        CustomerScore.objects.filter(run=before, churn_probability__isnull=False)
        .order_by()
        .values_list("customer_id", "churn_probability")
    )
    return {cid: float(p) for cid, p in rows.iterator(chunk_size=50_000) if p is not None}
