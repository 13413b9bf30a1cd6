"""Customer lifecycle: churn type, lifecycle status, loyalty ladder, cohort retention.

Everything is as of a date ("as_of") and uses purchase *days* (same-day purchases are one
purchase). For a buyer: ``days_since`` = as_of − last purchase day; the customer's own
inter-purchase time ``ipt`` = (last − first) / (purchase days − 1) for repeat buyers; for one-time
buyers (no own rhythm yet) the median ipt of the repeat buyers, or ``default_ipt_days`` when there
are none. A gap threshold ``m × ipt`` is never below ``min_gap_days``, so that a customer who
buys daily is not "lost" after four quiet days.

Churn type (C3)
    ``complete``: days_since > churn_multiple × ipt (default 3×), or P(alive) from the BG/NBD
    model below ``p_alive_threshold`` (default 0.1) when it is known.
    ``partial`` (not complete): the customer still has a baseline: at least
    ``min_baseline_purchases`` purchase days before the recent window (the last
    ``recent_window_days`` days, default 90) and a baseline period (first purchase to window
    start) at least as long as the window; and the recent spend rate (spend in the window / window
    days) is below ``partial_ratio`` (default 50%) of the baseline rate (spend before the window /
    days from the first purchase to the window start). That is "the share of business shrinking":
    still a customer, buying much less than its own past.
    ``none`` otherwise. Customers without purchases have no churn type (null).
Lifecycle status (C1), first rule that holds:
    ``lost``      complete churn;
    ``new``       first purchase within ``new_days`` (default 90);
    ``won_back``  the gap before the last purchase exceeded lapse_multiple × the ipt before it
                  (the customer had lapsed) and the last purchase is within ``won_back_days``;
    ``lapsed``    days_since > lapse_multiple × ipt (default 2×);
    ``at_risk``   days_since > at_risk_multiple × ipt (default 1.5×), or partial churn;
    ``active``    otherwise. Customers without purchases have no status (see the ladder).
Loyalty ladder (C2), the highest stage reached:
    ``suspect``     known (customers table) but not qualified and no purchase;
    ``prospect``    qualified (``is_qualified``) and no purchase;
    ``first_time``  one purchase day;
    ``repeat``      two or more purchase days;
    ``client``      at least ``client_min_purchases`` (4) purchase days over at least
                    ``client_min_tenure_days`` (180) since the first, and not completely churned;
    ``advocate``    a client who refers others (referrals ≥ 1) or promotes (NPS ≥ 9).
Cohort retention (C6)
    Cohort = calendar month of the first purchase; period p = months since it; share = customers of
    the cohort who bought in period p / cohort size (period 0 is 100%). Every period up to the
    as-of month is listed, zeros included.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike, NDArray

from kehu.analytics import schema as S


@dataclass(frozen=True, kw_only=True)
class LifecycleConfig:
    """Thresholds of the lifecycle rules (see the module docstring)."""

    churn_multiple: float = 3.0
    lapse_multiple: float = 2.0
    at_risk_multiple: float = 1.5
    min_gap_days: float = 30.0
    default_ipt_days: float = 90.0
    p_alive_threshold: float | None = 0.1
    recent_window_days: int = 90
    partial_ratio: float = 0.5
    min_baseline_purchases: int = 3
    new_days: int = 90
    won_back_days: int = 90
    client_min_purchases: int = 4
    client_min_tenure_days: int = 180
    advocate_min_referrals: int = 1
    advocate_min_nps: int = 9


def _f(a: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(a, dtype=float)


def population_ipt(first: NDArray, last: NDArray, n: NDArray, config: LifecycleConfig) -> float:
    """Median inter-purchase time of the repeat buyers (``default_ipt_days`` if none)."""
    repeat = n >= 2
    if repeat.any():
        pop = float(np.median((last[repeat] - first[repeat]) / (n[repeat] - 1)))
        if pop > 0:
            return pop
    return config.default_ipt_days


def inter_purchase_days(
    first_day: ArrayLike, last_day: ArrayLike, n_days: ArrayLike, config: LifecycleConfig
) -> NDArray[np.float64]:
    """Own mean inter-purchase time, or the population median for one-time buyers."""
    first, last, n = _f(first_day), _f(last_day), _f(n_days)
    repeat = n >= 2
    pop = population_ipt(first, last, n, config)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = (last - first) / (n - 1)
    # Several purchase days can't have a zero span, but guard the population fallback anyway.
    return np.where(repeat & (own > 0), own, pop)


def _threshold(multiple: float, ipt: NDArray[np.float64], config: LifecycleConfig):
    return np.maximum(multiple * ipt, config.min_gap_days)


def churn_type(
    *,
    as_of_day: int,
    first_day: ArrayLike,
    last_day: ArrayLike,
    n_days: ArrayLike,
    recent_amount: ArrayLike,
    baseline_amount: ArrayLike,
    baseline_days: ArrayLike,
    p_alive: ArrayLike | None = None,
    config: LifecycleConfig,
) -> NDArray[np.object_]:
    """none / partial / complete per customer (None for customers without purchases)."""
    first, last, n = _f(first_day), _f(last_day), _f(n_days)
    buyer = n >= 1
    ipt = inter_purchase_days(first, last, n, config)
    days_since = as_of_day - last
    complete = days_since > _threshold(config.churn_multiple, ipt, config)
    if p_alive is not None and config.p_alive_threshold is not None:
        pa_ = _f(p_alive)
        complete |= np.nan_to_num(pa_, nan=1.0) < config.p_alive_threshold
    window = config.recent_window_days
    baseline_len = (as_of_day - window) - first
    with np.errstate(divide="ignore", invalid="ignore"):
        baseline_rate = _f(baseline_amount) / baseline_len
    recent_rate = _f(recent_amount) / window
    has_baseline = (_f(baseline_days) >= config.min_baseline_purchases) & (baseline_len >= window)
    partial = (
        has_baseline & (baseline_rate > 0) & (recent_rate < config.partial_ratio * baseline_rate)
    )
    out = np.where(complete, "complete", np.where(partial, "partial", "none")).astype(object)
    out[~buyer] = None
    return out


def lifecycle_status(
    *,
    as_of_day: int,
    first_day: ArrayLike,
    last_day: ArrayLike,
    prev_day: ArrayLike,
    n_days: ArrayLike,
    churn: ArrayLike,
    config: LifecycleConfig,
) -> NDArray[np.object_]:
    """new / active / at_risk / lapsed / lost / won_back (None for non-buyers)."""
    first, last, prev, n = _f(first_day), _f(last_day), _f(prev_day), _f(n_days)
    churn = np.asarray(churn, dtype=object)
    buyer = n >= 1
    ipt = inter_purchase_days(first, last, n, config)
    days_since = as_of_day - last
    # ipt before the last purchase: the comeback gap must not inflate its own yardstick.
    pop = population_ipt(first, last, n, config)
    with np.errstate(divide="ignore", invalid="ignore"):
        ipt_prior = np.where(n >= 3, (prev - first) / (n - 2), pop)
    ipt_prior = np.where(ipt_prior > 0, ipt_prior, pop)
    gap = last - prev
    won_back = (
        (n >= 2)
        & (gap > _threshold(config.lapse_multiple, ipt_prior, config))
        & (days_since <= config.won_back_days)
    )
    conditions = [
        churn == "complete",
        (as_of_day - first) <= config.new_days,
        won_back,
        days_since > _threshold(config.lapse_multiple, ipt, config),
        (days_since > _threshold(config.at_risk_multiple, ipt, config)) | (churn == "partial"),
    ]
    names = ["lost", "new", "won_back", "lapsed", "at_risk"]
    out = np.select(conditions, names, default="active").astype(object)
    out[~buyer] = None
    return out


LADDER = ("suspect", "prospect", "first_time", "repeat", "client", "advocate")


def loyalty_stage(
    *,
    as_of_day: int,
    n_days: ArrayLike,
    first_day: ArrayLike,
    is_qualified: ArrayLike,
    referrals: ArrayLike,
    nps: ArrayLike,
    churn: ArrayLike,
    config: LifecycleConfig,
) -> NDArray[np.object_]:
    """The loyalty-ladder stage per customer."""
    n = np.nan_to_num(_f(n_days))
    first = _f(first_day)
    qualified = np.asarray(is_qualified)
    if qualified.dtype == object:  # None means unknown: not qualified
        qualified = np.array([bool(q) if q is not None else False for q in qualified], dtype=bool)
    qualified = qualified.astype(bool)
    refs = np.nan_to_num(_f(referrals))
    score = np.nan_to_num(_f(nps), nan=-1.0)
    churn = np.asarray(churn, dtype=object)
    tenure = as_of_day - first
    client = (
        (n >= config.client_min_purchases)
        & (np.nan_to_num(tenure, nan=-1.0) >= config.client_min_tenure_days)
        & (churn != "complete")
    )
    advocate = client & (
        (refs >= config.advocate_min_referrals) | (score >= config.advocate_min_nps)
    )
    conditions = [advocate, client, n >= 2, n == 1, qualified]
    names = ["advocate", "client", "repeat", "first_time", "prospect"]
    return np.select(conditions, names, default="suspect").astype(object)


# --------------------------------------------------------------------------- cohorts


def cohort_counts(daily: ir.Table) -> ir.Table:
    """(cohort_month, period, active): distinct buyers per acquisition month and later month."""
    months = daily.select("customer_id", "month").distinct()
    first = months.group_by("customer_id").aggregate(cohort_month=months.month.min())
    joined = months.join(first, "customer_id")
    joined = joined.mutate(period=joined.month - joined.cohort_month)
    return joined.group_by(["cohort_month", "period"]).aggregate(active=joined.count())


def month_label(month_index: int) -> str:
    return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"


def cohort_table(counts: pa.Table, *, as_of_month: int) -> pa.Table:
    """Fill the cohort × period grid (zeros included) and compute shares."""
    cm = np.asarray(counts["cohort_month"].to_numpy(zero_copy_only=False), dtype=np.int64)
    per = np.asarray(counts["period"].to_numpy(zero_copy_only=False), dtype=np.int64)
    act = np.asarray(counts["active"].to_numpy(zero_copy_only=False), dtype=np.int64)
    lookup = {(int(c), int(p)): int(a) for c, p, a in zip(cm, per, act, strict=True)}
    rows: dict[str, list] = {f.name: [] for f in S.COHORTS}
    for cohort in sorted(set(cm.tolist())):
        size = lookup.get((cohort, 0), 0)
        for period in range(0, max(as_of_month - cohort, 0) + 1):
            active = lookup.get((cohort, period), 0)
            rows["cohort"].append(month_label(cohort))
            rows["period"].append(period)
            rows["cohort_size"].append(size)
            rows["active"].append(active)
            rows["share"].append(active / size if size else float("nan"))
    return pa.table(rows, schema=S.COHORTS)
