"""Customer lifecycle: churn type, lifecycle status, loyalty ladder, cohort retention.

Everything is as of a date ("as_of") and uses purchase *days* (same-day purchases are one
purchase). For a buyer: ``days_since`` = as_of − last purchase day; the customer's own
inter-purchase time ``ipt`` = (last − first) / (purchase days − 1) for repeat buyers; for one-time
buyers (no own rhythm yet) the median ipt of the repeat buyers, or ``default_ipt_days`` when there
are none. A gap threshold ``m × ipt`` is never below ``min_gap_days``, so that a customer who
buys daily is not "lost" after four quiet days.

Churn type (C3)
    ``complete``: days_since > churn_multiple × ipt (default 3×), or P(alive) from the BG/NBD
    model below ``p_alive_threshold`` (default 0.1) when it is known: the customer has stopped
    buying, as far as their own rhythm tells.
    ``partial`` (not complete): the share of business shrinking, judged against the customer's
    own past over a window long enough to expect several purchases from them:

    * window ``W`` = ``partial_window_purchases`` (6) × the customer's average gap so far
      ((as_of − first purchase) / purchase days), at least ``recent_window_days`` (90) and at
      most ``partial_max_window_days`` (365). A 90-day look at a customer who buys five times
      a year sees one purchase or none, which is noise, not churn; over six expected purchases
      a steady buyer shows two or fewer only about 6% of the time (Poisson);
    * baseline = the purchases before the window: at least ``min_baseline_purchases`` (4)
      purchase days. The first one opens it, so the rate is (baseline purchase days − 1) /
      baseline days (first purchase → window start), which is unbiased even for a short
      baseline;
    * expected purchases in the window ``N = rate × W × season`` and expected spend ``E = N ×``
      the baseline's spend per purchase day, where ``season`` is how busy the same calendar
      days were a year earlier for the whole customer base (spend per day in them ÷ spend per
      day over that year; 1 without two years of data), so a quiet season is not read as a
      decline;
    * partial when N ≥ ``min_expected_purchases`` (2: otherwise the window cannot tell), the
      decline is material: the window's spend is below ``partial_ratio`` (50%) of E, and it is
      significant: either the window's purchase count ``k`` is improbably low for a steady
      buyer, by the exact conditional test of two Poisson rates: with ``m`` baseline purchases
      after the first, P(Binomial(k + m, W·season / (W·season + baseline days)) ≤ k) <
      ``partial_alpha`` (0.2), which allows for a rate known from few purchases; or the spend
      is, ``z = (spend − E) / sqrt(N × m2) < −partial_z`` (1.645), ``m2`` being the mean
      squared spend of the baseline's purchase days (a steady compound-Poisson buyer's window
      spend has variance N × m2). The count test is the robust one (order values are
      heavy-tailed: one large order in the baseline makes any quiet window look like a 90%
      decline in spend); the spend test catches a customer who still comes as often but buys
      far less.

    ``none`` otherwise. Customers without purchases have no churn type (null).
Lifecycle status (C1), first rule that holds:
    ``lost``      complete churn and no purchase for more than ``lost_min_days`` (365). The
                  one-year floor is the "12-month buyer file" of direct marketing: a steady
                  customer can sit out a whole off-season (air conditioners bought in summer,
                  gifts at Spring Festival), so a shorter silence cannot show they left for
                  good; until then a complete churner is ``lapsed``, which asks for the same
                  win-back call;
    ``new``       first purchase within ``new_days`` (default 90);
    ``won_back``  the gap before the last purchase exceeded lapse_multiple × the ipt before it
                  (the customer had lapsed) and the last purchase is within ``won_back_days``;
    ``lapsed``    days_since > lapse_multiple × ipt (default 2×), or complete churn within the
                  year;
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

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike, NDArray
from scipy.special import bdtr

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
    lost_min_days: float = 365.0
    recent_window_days: int = 90
    partial_window_purchases: int = 6
    partial_max_window_days: int = 365
    partial_ratio: float = 0.5
    partial_alpha: float = 0.2
    partial_z: float = 1.645
    min_baseline_purchases: int = 4
    min_expected_purchases: float = 2.0
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
    window_days: ArrayLike,
    recent_days: ArrayLike,
    recent_amount: ArrayLike,
    baseline_amount: ArrayLike,
    baseline_days: ArrayLike,
    baseline_sq: ArrayLike,
    season: ArrayLike | float = 1.0,
    p_alive: ArrayLike | None = None,
    config: LifecycleConfig,
) -> NDArray[np.object_]:
    """none / partial / complete per customer (None for customers without purchases).

    ``window_days`` and the ``recent``/``baseline`` figures are per customer, as
    ``partial_churn_inputs`` computes them; ``season`` as ``season_factor``."""
    first, last, n = _f(first_day), _f(last_day), _f(n_days)
    buyer = n >= 1
    ipt = inter_purchase_days(first, last, n, config)
    days_since = as_of_day - last
    complete = days_since > _threshold(config.churn_multiple, ipt, config)
    if p_alive is not None and config.p_alive_threshold is not None:
        pa_ = _f(p_alive)
        complete |= np.nan_to_num(pa_, nan=1.0) < config.p_alive_threshold
    partial = _partial(
        as_of_day,
        first,
        window=_f(window_days),
        recent_n=_f(recent_days),
        recent=_f(recent_amount),
        base_amount=_f(baseline_amount),
        base_days=_f(baseline_days),
        base_sq=_f(baseline_sq),
        season=np.broadcast_to(_f(season), first.shape),
        config=config,
    )
    out = np.where(complete, "complete", np.where(partial, "partial", "none")).astype(object)
    out[~buyer] = None
    return out


def _partial(as_of_day: int, first, *, window, recent_n, recent, base_amount, base_days, base_sq,
             season, config: LifecycleConfig) -> NDArray[np.bool_]:  # fmt: skip
    """The partial-churn test of the module docstring, on arrays."""
    base_len = (as_of_day - window) - first
    has_baseline = (base_days >= config.min_baseline_purchases) & (base_len > 0)
    # The first purchase opens the baseline; the purchases after it measure the rate.
    after_first = base_days - 1
    exposure = window * season
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_n = np.where(has_baseline, after_first * exposure / base_len, np.nan)
        expected = expected_n * base_amount / base_days
        z = (recent - expected) / np.sqrt(expected_n * base_sq / base_days)
        share = exposure / (exposure + base_len)
        few = bdtr(recent_n, recent_n + after_first, share) < config.partial_alpha
    significant = np.where(has_baseline, few, False) | (
        np.nan_to_num(z, nan=0.0) < -config.partial_z
    )
    return (
        has_baseline
        & (np.nan_to_num(expected_n) >= config.min_expected_purchases)
        & (np.nan_to_num(expected) > 0)
        & (recent < config.partial_ratio * np.nan_to_num(expected))
        & significant
    )


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
    complete = churn == "complete"
    conditions = [
        complete & (days_since > config.lost_min_days),
        (as_of_day - first) <= config.new_days,
        won_back,
        complete | (days_since > _threshold(config.lapse_multiple, ipt, config)),
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


# --------------------------------------------------------------------------- partial churn

YEAR = 365


def partial_churn_inputs(
    daily: ir.Table, activity: ir.Table, *, as_of_day: int, config: LifecycleConfig
) -> ir.Table:
    """Per buyer: the partial-churn window (whole days) and the spend in it and before it.

    Columns: customer_id, pc_window, pc_recent_days, pc_recent_amount, pc_baseline_amount,
    pc_baseline_days, pc_baseline_sq (sum of squared purchase-day spends before the window).
    Integer day arithmetic only, so DuckDB and Spark agree on every window."""
    span = ibis.literal(as_of_day) - activity.first_day
    own = (span * config.partial_window_purchases) // activity.n_days
    window = ibis.least(
        ibis.greatest(own, config.recent_window_days), config.partial_max_window_days
    ).cast("int64")
    w = activity.select("customer_id", pc_window=window)
    j = daily.join(w, "customer_id")
    recent = j.day > ibis.literal(as_of_day) - j.pc_window
    zero = ibis.literal(0.0)
    return j.group_by("customer_id").aggregate(
        pc_window=j.pc_window.max(),
        pc_recent_days=recent.ifelse(1, 0).sum(),
        pc_recent_amount=recent.ifelse(j.amount, zero).sum(),
        pc_baseline_amount=(~recent).ifelse(j.amount, zero).sum(),
        pc_baseline_days=(~recent).ifelse(1, 0).sum(),
        pc_baseline_sq=(~recent).ifelse(j.amount * j.amount, zero).sum(),
    )


def daily_totals(daily: ir.Table, *, as_of_day: int) -> ir.Table:
    """(day, amount): the whole base's spend per day over the two years before ``as_of_day``
    (for ``season_factor``)."""
    recent = daily.filter(daily.day > as_of_day - 2 * YEAR)
    return recent.group_by("day").aggregate(amount=recent.amount.sum())


def season_factor(
    day: ArrayLike, amount: ArrayLike, *, first_day: float, as_of_day: int, window: ArrayLike
) -> NDArray[np.float64]:
    """Per window length: spend per day in the same calendar days a year earlier
    ((as_of − 365 − W, as_of − 365]) ÷ spend per day over that year ((as_of − 730, as_of −
    365]); 1 when the data does not reach two years back or that year had no spend."""
    w = _f(window)
    if not np.isfinite(first_day) or first_day > as_of_day - 2 * YEAR + 1:
        return np.ones_like(w)
    offset = np.asarray(day, dtype=np.int64) - (as_of_day - 2 * YEAR) - 1  # 0 … 729
    spend = np.zeros(2 * YEAR)
    inside = (offset >= 0) & (offset < 2 * YEAR)
    np.add.at(spend, offset[inside], _f(amount)[inside])
    cum = np.concatenate([[0.0], np.cumsum(spend)])
    year = cum[YEAR]  # (as_of − 730, as_of − 365]
    if year <= 0:
        return np.ones_like(w)
    k = np.clip(np.nan_to_num(w, nan=YEAR), 1, YEAR).astype(np.int64)
    same_days = cum[YEAR] - cum[YEAR - k]
    return (same_days / k) / (year / YEAR)


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
