"""The whole analytics run: tables in, one scored row per customer out.

``run_pipeline`` takes the input tables of ``kehu.analytics.schema`` (only ``transactions`` is
required; missing optional tables count as empty, so their figures are zero), computes every
set-based aggregate with Ibis on the chosen engine, then applies the per-customer rules
(``value``, ``lifecycle``) and the CLV models (``clv``) in numpy. The result has:

``customers``  one row per customer known to any table (``schema.CUSTOMER_SCORES``);
``whale``      the ranked whale curve (``schema.WHALE``);
``cohorts``    cohort × period retention shares (``schema.COHORTS``);
``summary``    headline figures (JSON-serialisable dict).

CLV columns are in the units of ``amount`` (revenue, not margin), over ``clv_months`` months
discounted at ``discount_rate`` per month; ``expected_purchases`` is over ``horizon`` time units.
They are null when the models cannot be fitted (fewer than ``min_customers_for_clv`` buyers).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kehu.analytics import clv as C
from kehu.analytics import engines as E
from kehu.analytics import lifecycle as L
from kehu.analytics import schema as S
from kehu.analytics import value as V

Progress = Callable[[str, int, int], None]

UNIT_DAYS = {"week": 7.0, "day": 1.0}


@dataclass(frozen=True, kw_only=True)
class PipelineConfig:
    """All knobs of a pipeline run; the nested configs hold the business rules."""

    value: V.ValueConfig = field(default_factory=V.ValueConfig)
    lifecycle: L.LifecycleConfig = field(default_factory=L.LifecycleConfig)
    time_unit: C.TimeUnit = "week"
    horizon: float = 52.0
    clv_months: int = 12
    discount_rate: float = 0.01
    min_customers_for_clv: int = 20
    duckdb_memory_limit: str | None = None
    duckdb_threads: int | None = None


@dataclass
class PipelineResult:
    customers: pa.Table
    whale: pa.Table
    cohorts: pa.Table
    summary: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


STEPS = ("prepare", "aggregate", "cohorts", "clv", "rules")


def run_pipeline(
    tables: dict[str, pa.Table | None],
    *,
    as_of: dt.date | str,
    config: PipelineConfig | None = None,
    engine: str | E.Engine = "duckdb",
    spark_master: str = "local[1]",
    progress: Progress | None = None,
) -> PipelineResult:
    """Run the analytics on ``tables`` as of ``as_of`` (see the module docstring)."""
    cfg = config or PipelineConfig()
    as_of_day = E.to_day(as_of)
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        timings[name] = now - clock[0]
        clock[0] = now
        if progress is not None:
            progress(name, STEPS.index(name) + 1, len(STEPS))

    prepared = E.prepare(tables)
    step("prepare")
    own = not isinstance(engine, E.Engine)
    if isinstance(engine, E.Engine):
        eng = engine
    else:
        eng = E.Engine(
            engine,
            memory_limit=cfg.duckdb_memory_limit,
            threads=cfg.duckdb_threads,
            spark_master=spark_master,
        )
    try:
        wide, counts, totals = _aggregate(eng, prepared, as_of_day, cfg)
        wide = E.decode_ids(wide, prepared["customer_ids"])
        step("aggregate")
        as_of_date = E.from_day(as_of_day)
        as_of_month = as_of_date.year * 12 + as_of_date.month - 1
        cohorts = L.cohort_table(counts, as_of_month=as_of_month)
        step("cohorts")
    finally:
        if own:
            eng.close()
    cols = {name: _np(wide[name]) for name in wide.column_names if name != "customer_id"}
    ids = wide["customer_id"].combine_chunks()
    scores, clv_summary = _clv(cols, as_of_day, cfg)
    step("clv")
    cols["season"] = L.season_factor(
        _np(totals["day"]),
        _np(totals["amount"]),
        first_day=float(np.nanmin(cols["first_day"], initial=np.inf)),
        as_of_day=as_of_day,
        window=cols["pc_window"],
    )
    customers, whale, summary = _rules(ids, cols, scores, as_of_day, cfg)
    summary["as_of"] = E.from_day(as_of_day).isoformat()
    summary["clv"] = clv_summary
    summary["cohorts"] = cohorts.num_rows
    step("rules")
    return PipelineResult(customers, whale, cohorts, summary, timings)


def _np(col: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_boolean(col.type):
        return np.asarray(col.fill_null(False).to_numpy(), dtype=bool)
    if pa.types.is_string(col.type):
        return np.asarray(col.to_pylist(), dtype=object)
    # Nullable ints come back as float with NaN: the rules treat NaN as "unknown".
    return np.asarray(col.to_numpy(), dtype=float)


def _aggregate(eng: E.Engine, t: dict[str, pa.Table], as_of_day: int, cfg: PipelineConfig):
    tx = eng.register(t["transactions"], "tx")
    ev = eng.register(t["service_events"], "ev")
    rc = eng.register(t["receivables"], "rc")
    cu = eng.register(t["customers"], "cu")
    vcfg, lcfg = cfg.value, cfg.lifecycle
    daily = eng.materialize(E.daily_purchases(tx, until_day=as_of_day), "daily")
    activity = eng.materialize(
        E.customer_activity(daily, as_of_day=as_of_day, recent_days=lcfg.recent_window_days),
        "activity",
    )
    value_daily = daily
    if vcfg.window_days is not None:
        value_daily = daily.filter(daily.day > as_of_day - vcfg.window_days)
    money = value_daily.group_by("customer_id").aggregate(
        revenue=value_daily.amount.sum(), cogs=value_daily.cost.sum()
    )
    rfm = V.rfm_scores(activity)
    services = V.service_costs(ev, as_of_day=as_of_day, config=vcfg)
    receivables = V.receivable_stats(rc, as_of_day=as_of_day, config=vcfg)
    people = cu.filter(cu.customer_id.notnull()).distinct(on="customer_id", keep="first")
    ids = ibis.union(
        *(x.select("customer_id") for x in (people, activity, services, receivables)),
        distinct=True,
    )
    wide = ids
    partial = L.partial_churn_inputs(daily, activity, as_of_day=as_of_day, config=lcfg)
    parts = (activity.drop("revenue", "cogs"), partial, money, rfm, services, receivables, people)
    for part in parts:
        wide = wide.left_join(part, "customer_id")
        wide = wide.drop(*[c for c in wide.columns if c.endswith("_right")])
    # Codes sort like the ids (see engines.prepare): this is customer_id order.
    wide_table = eng.to_arrow(wide).sort_by("customer_id")
    counts = eng.to_arrow(L.cohort_counts(daily))
    totals = eng.to_arrow(L.daily_totals(daily, as_of_day=as_of_day))
    return wide_table, counts, totals


def _clv(cols: dict[str, np.ndarray], as_of_day: int, cfg: PipelineConfig):
    n = len(cols["n_days"])
    nan = np.full(n, np.nan)
    out = {k: nan.copy() for k in ("frequency", "recency", "T", "p_alive", "expected_purchases")}
    out.update(expected_spend=nan.copy(), clv=nan.copy())
    buyer = np.nan_to_num(cols["n_days"]) >= 1
    unit = UNIT_DAYS[cfg.time_unit]
    x = cols["n_days"][buyer] - 1
    t_x = (cols["last_day"][buyer] - cols["first_day"][buyer]) / unit
    T = (as_of_day - cols["first_day"][buyer]) / unit
    out["frequency"][buyer], out["recency"][buyer], out["T"][buyer] = x, t_x, T
    summary: dict[str, Any] = {"fitted": False, "buyers": int(buyer.sum())}
    if buyer.sum() < cfg.min_customers_for_clv:
        summary["reason"] = f"fewer than {cfg.min_customers_for_clv} buyers"
        return out, summary
    try:
        bg = C.BetaGeoFitter().fit(x, t_x, T)
        with np.errstate(divide="ignore", invalid="ignore"):
            monetary = np.where(
                x > 0, (cols["revenue"][buyer] - cols["first_amount"][buyer]) / x, 0
            )
        gg = C.GammaGammaFitter().fit(x, monetary)
    except (C.ConvergenceError, ValueError, FloatingPointError) as exc:
        summary["reason"] = f"model fit failed: {exc}"
        return out, summary
    out["p_alive"][buyer] = bg.conditional_probability_alive(x, t_x, T)
    out["expected_purchases"][buyer] = bg.conditional_expected_number_of_purchases_up_to_time(
        cfg.horizon, x, t_x, T
    )
    spend = gg.conditional_expected_average_profit(x, monetary)
    out["expected_spend"][buyer] = spend
    out["clv"][buyer] = C.customer_lifetime_value(
        bg,
        x,
        t_x,
        T,
        spend,
        time=cfg.clv_months,
        discount_rate=cfg.discount_rate,
        time_unit=cfg.time_unit,
    )
    summary.update(
        fitted=True,
        time_unit=cfg.time_unit,
        bgnbd={**bg.params_, "log_likelihood": bg.log_likelihood_},
        gamma_gamma={**gg.params_, "repeat_buyers": gg.n_customers_},
    )
    return out, summary


@dataclass
class ClvResult:
    """Per-customer CLV scores (``schema.CLV_SCORES``), the fitted models and the holdout check."""

    scores: pa.Table
    bgnbd: C.BetaGeoFitter
    gamma_gamma: C.GammaGammaFitter
    holdout: dict[str, float] | None


def fit_clv(
    transactions: pa.Table,
    *,
    calibration_end: dt.date | str | None = None,
    holdout_end: dt.date | str | None = None,
    time_unit: C.TimeUnit = "week",
    horizon: float = 52.0,
    clv_months: int = 12,
    discount_rate: float = 0.01,
    engine: str | E.Engine = "duckdb",
) -> ClvResult:
    """Fit BG/NBD and Gamma-Gamma on transactions up to ``calibration_end`` (default: the last
    purchase date) and score every customer; with ``holdout_end``, compare predicted and actual
    repeat purchase days in (calibration_end, holdout_end]."""
    everything = E.prepare({"transactions": transactions})
    prepared = everything["transactions"]
    if calibration_end is None:
        if prepared.num_rows == 0:
            raise ValueError("no transactions")
        cal_day = int(pc.max(prepared["day"]).as_py())
    else:
        cal_day = E.to_day(calibration_end)
    own = not isinstance(engine, E.Engine)
    eng = engine if isinstance(engine, E.Engine) else E.Engine(engine)
    try:
        tx = eng.register(prepared, "tx")
        daily = E.daily_purchases(tx, until_day=cal_day)
        act = E.customer_activity(daily, as_of_day=cal_day, recent_days=1)
        act = act.select(
            "customer_id", "first_day", "last_day", "n_days", "revenue", "first_amount"
        )
        if holdout_end is not None:
            hold_day = E.to_day(holdout_end)
            if hold_day <= cal_day:
                raise ValueError("holdout end must be after calibration end")
            counts = E.holdout_counts(tx, calibration_day=cal_day, holdout_day=hold_day)
            act = act.left_join(counts, "customer_id")
            act = act.drop(*[c for c in act.columns if c.endswith("_right")])
        table = E.decode_ids(eng.to_arrow(act).sort_by("customer_id"), everything["customer_ids"])
    finally:
        if own:
            eng.close()
    if table.num_rows == 0:
        raise ValueError("no purchases up to the calibration end")
    unit = UNIT_DAYS[time_unit]
    first, last = _np(table["first_day"]), _np(table["last_day"])
    x = _np(table["n_days"]) - 1
    t_x, T = (last - first) / unit, (cal_day - first) / unit
    with np.errstate(divide="ignore", invalid="ignore"):
        monetary = np.where(x > 0, (_np(table["revenue"]) - _np(table["first_amount"])) / x, 0.0)
    bg = C.BetaGeoFitter().fit(x, t_x, T)
    gg = C.GammaGammaFitter().fit(x, monetary)
    spend = gg.conditional_expected_average_profit(x, monetary)
    scores = pa.table(
        {
            "customer_id": table["customer_id"],
            "frequency": x.astype(np.int64),
            "recency": t_x,
            "T": T,
            "p_alive": bg.conditional_probability_alive(x, t_x, T),
            "expected_purchases": bg.conditional_expected_number_of_purchases_up_to_time(
                horizon, x, t_x, T
            ),
            "expected_spend": spend,
            "clv": C.customer_lifetime_value(
                bg,
                x,
                t_x,
                T,
                spend,
                time=clv_months,
                discount_rate=discount_rate,
                time_unit=time_unit,
            ),
        },
        schema=S.CLV_SCORES,
    )
    holdout = None
    if holdout_end is not None:
        actual = np.nan_to_num(_np(table["holdout_days"]))
        duration = (E.to_day(holdout_end) - cal_day) / unit
        holdout = C.holdout_evaluation(bg, x, t_x, T, actual, duration)
    return ClvResult(scores, bg, gg, holdout)


def _zero(a: np.ndarray) -> np.ndarray:
    return np.nan_to_num(a, nan=0.0)


def _rules(ids, cols, scores, as_of_day: int, cfg: PipelineConfig):
    vcfg, lcfg = cfg.value, cfg.lifecycle
    revenue, cogs = _zero(cols["revenue"]), _zero(cols["cogs"])
    cts, bad = _zero(cols["cost_to_serve"]), _zero(cols["bad_debt"])
    n_days = _zero(cols["n_days"])
    buyer = n_days >= 1
    # Ranked for value: the customers, i.e. anyone who bought or was billed; a prospect's
    # service cost is acquisition cost, not a loss (value.customer_profit).
    ranked = V.is_customer(n_days=n_days, invoices_due=cols["invoices_due"])
    profit = V.customer_profit(revenue, cogs, cts, bad, customer=ranked)
    # Rows are sorted by customer_id, so row position is a (fast) customer_id tie-break key.
    position = np.arange(len(ids))
    grade = np.full(len(ids), None, dtype=object)
    tier = np.full(len(ids), None, dtype=object)
    grade[ranked] = V.grades(position[ranked], profit[ranked], vcfg)
    tier[ranked] = V.tiers(position[ranked], profit[ranked], vcfg)
    whale, whale_summary = V.whale_curve(
        ids.filter(pa.array(ranked)), profit[ranked], sort_key=position[ranked]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        on_time = cols["invoices_on_time"] / cols["invoices_due"]
    on_time = np.where(_zero(cols["invoices_due"]) > 0, on_time, np.nan)
    start = np.fmin(cols["first_day"], cols["created_day"])
    is_core = V.core_flags(
        position,
        revenue=revenue,
        cost_to_serve=cts,
        on_time_share=on_time,
        tenure_days=as_of_day - start,
        config=vcfg,
    )
    activity = {
        "first_day": cols["first_day"],
        "last_day": cols["last_day"],
        "n_days": n_days,
    }
    churn = L.churn_type(
        as_of_day=as_of_day,
        window_days=cols["pc_window"],
        recent_days=_zero(cols["pc_recent_days"]),
        recent_amount=_zero(cols["pc_recent_amount"]),
        baseline_amount=_zero(cols["pc_baseline_amount"]),
        baseline_days=_zero(cols["pc_baseline_days"]),
        baseline_sq=_zero(cols["pc_baseline_sq"]),
        season=cols["season"],
        p_alive=scores["p_alive"],
        config=lcfg,
        **activity,
    )
    status = L.lifecycle_status(
        as_of_day=as_of_day, prev_day=cols["prev_day"], churn=churn, config=lcfg, **activity
    )
    stage = L.loyalty_stage(
        as_of_day=as_of_day,
        n_days=n_days,
        first_day=cols["first_day"],
        is_qualified=cols["is_qualified"],
        referrals=cols["referrals"],
        nps=cols["nps"],
        churn=churn,
        config=lcfg,
    )
    segment = V.rfm_segment(cols["rfm_r"], cols["rfm_f"])
    data = {
        "customer_id": ids,
        "revenue": revenue,
        "cogs": cogs,
        "cost_to_serve": cts,
        "bad_debt": bad,
        "profit": profit,
        "loss_reason": _str(V.loss_reason(revenue, cogs, cts, bad, customer=ranked)),
        "rfm_r": _ints(cols["rfm_r"]),
        "rfm_f": _ints(cols["rfm_f"]),
        "rfm_m": _ints(cols["rfm_m"]),
        "rfm_score": _ints(cols["rfm_score"]),
        "rfm_segment": _str(segment),
        "grade": _str(grade),
        "tier": _str(tier),
        "is_core": is_core,
        "frequency": _ints(scores["frequency"]),
        "recency": scores["recency"],
        "T": scores["T"],
        "p_alive": scores["p_alive"],
        "expected_purchases": scores["expected_purchases"],
        "expected_spend": scores["expected_spend"],
        "clv": scores["clv"],
        "churn_type": _str(churn),
        "lifecycle_status": _str(status),
        "loyalty_stage": _str(stage),
    }
    arrays = [
        v if isinstance(v, pa.Array) else pa.array(v, f.type, from_pandas=True)
        for f, v in ((f, data[f.name]) for f in S.CUSTOMER_SCORES)
    ]
    customers = pa.Table.from_arrays(arrays, schema=S.CUSTOMER_SCORES)

    def count(column: str) -> dict[str, int]:
        pairs = pc.value_counts(customers[column].drop_null()).to_pylist()
        return dict(sorted((p["values"], p["counts"]) for p in pairs))

    summary: dict[str, Any] = {
        "customers": len(ids),
        "buyers": int(buyer.sum()),
        "prospects": int((~ranked).sum()),
        "acquisition_cost": float(cts[~ranked].sum()),
        "revenue": float(revenue.sum()),
        "profit": float(profit.sum()),
        "whale": whale_summary,
        "grades": count("grade"),
        "tiers": count("tier"),
        "core_customers": int(is_core.sum()),
        "rfm_segments": count("rfm_segment"),
        "churn": count("churn_type"),
        "lifecycle": count("lifecycle_status"),
        "loyalty": count("loyalty_stage"),
        "config": _jsonable(cfg),
    }
    return customers, whale, summary


def _str(a: np.ndarray) -> pa.Array:
    return pa.array(a, pa.string(), from_pandas=True)


def _ints(a: np.ndarray) -> pa.Array:
    a = np.asarray(a, dtype=float)
    mask = np.isnan(a)
    return pa.array(np.where(mask, 0, a).astype(np.int64), pa.int64(), mask=mask)


def _jsonable(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if hasattr(obj, "items"):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj
