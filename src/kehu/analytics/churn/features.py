"""Per-customer purchase features as of a cut-off day, built with Ibis (DuckDB or Spark).

Only purchase days up to the cut-off enter the features; labels (was there a purchase in the
following window?) are counted separately, from days after it. The set-based part (one
aggregate and one join, the same expression on both engines) yields the counts and sums; the
per-customer arithmetic and BG/NBD are then numpy on one row per customer.

Features (days unless said otherwise):

``days_since_last``   cut-off minus the last purchase day (recency as a gap)
``mean_gap``          the customer's usual gap: (last - first) / repeat purchases
``overdue``           days_since_last / mean_gap ("how many usual gaps late")
``gap_before_last``   the gap between the last two purchase days
``frequency``         repeat purchase days (purchase days - 1, as BG/NBD counts)
``tenure``            cut-off minus the first purchase day
``avg_spend``         revenue per purchase day
``spend_year``        spend in the last 365 days; ``spend_trend`` = its change on the year
                      before (a ratio - 1; NaN when there was no spend that year)
``recent``/``before`` purchase days in the last window and in the window before it
``n30`` … ``n365``    purchase days in the last 30, 90, 180 and 365 days
``spend_recent``      spend in the last window
``gap_cv``            the spread of the customer's gaps (standard deviation / mean): a
                      clockwork buyer's silence means more than an erratic one's
``max_gap``           the longest gap so far; ``over_max`` = days_since_last / max_gap
``season``            purchase days in the same window one year earlier, (cut-off - 365,
                      cut-off - 365 + window]: a seasonal buyer (the Christmas order, the
                      spring restock) is quiet most of the year and due again now (NaN when
                      the customer's first purchase came after that window)
``p_alive``, ``expected``, ``p_none``  BG/NBD (Fader, Hardie & Lee 2005) fitted on this
                      cut-off's own data: P(alive), expected purchases in the window, and
                      P(no purchase in the window) = 1 - P(alive) + P(alive) ((alpha+T) /
                      (alpha+T+t))^(r+x) (the posterior gamma's zero-count probability)
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from kehu.analytics import clv as C
from kehu.analytics import engines as E

FEATURES = (
    "days_since_last",
    "mean_gap",
    "overdue",
    "gap_before_last",
    "frequency",
    "tenure",
    "avg_spend",
    "spend_year",
    "spend_trend",
    "recent",
    "before",
    "p_alive",
    "expected",
    "p_none",
    "n30",
    "n90",
    "n180",
    "n365",
    "spend_recent",
    "gap_cv",
    "max_gap",
    "over_max",
    "season",
)

# Which reason each feature speaks to (see reasons.PHRASES).
GROUPS = {
    "days_since_last": "overdue",
    "mean_gap": "overdue",
    "overdue": "overdue",
    "gap_before_last": "overdue",
    "frequency": "frequency",
    "tenure": "tenure",
    "avg_spend": "monetary",
    "spend_year": "spend",
    "spend_trend": "spend",
    "recent": "slowing",
    "before": "slowing",
    "p_alive": "alive",
    "expected": "alive",
    "p_none": "alive",
    "n30": "slowing",
    "n90": "slowing",
    "n180": "slowing",
    "n365": "slowing",
    "spend_recent": "spend",
    "gap_cv": "overdue",
    "max_gap": "overdue",
    "over_max": "overdue",
    "season": "season",
}
GROUP_NAMES = tuple(dict.fromkeys(GROUPS.values()))

# The direction each feature may move the churn risk (+1 up, -1 down, 0 free), for LightGBM's
# monotone constraints. The stacked cut-offs show the trees customers of other ages than at
# the scoring date; without the constraints small trees learned age-specific bumps (more recent
# purchases = more risk in some band) that did not carry over (CDNOW, see bench/README).
MONOTONE = {
    "days_since_last": 1,
    "overdue": 1,
    "over_max": 1,
    "frequency": -1,
    "recent": -1,
    "n30": -1,
    "n90": -1,
    "n180": -1,
    "n365": -1,
    "spend_year": -1,
    "p_alive": -1,
    "expected": -1,
    "p_none": 1,
    "season": -1,
}


# Money is summed in integer units of 1/10,000: a sum of doubles depends on the order the
# engine adds them in (threads, partitions), an integer sum does not, so the features, and
# with them the scores, are the same on every run and engine.
SCALE = 10_000


def facts(tx: ir.Table, *, as_of_day: int, window_days: int) -> ir.Table:
    """One row per customer who bought on or before ``as_of_day``: counts and sums."""
    known = tx.filter(tx.day <= as_of_day)
    units = (known.amount * SCALE).round().cast("int64")
    daily = known.group_by(["customer_id", "day"]).aggregate(amount=units.sum())
    zero = ibis.literal(0, type="int64")
    year = daily.day > as_of_day - 365
    prior_year = (daily.day > as_of_day - 730) & ~year
    recent = daily.day > as_of_day - window_days
    before = (daily.day > as_of_day - 2 * window_days) & ~recent
    agg = daily.group_by("customer_id").aggregate(
        first_day=daily.day.min(),
        last_day=daily.day.max(),
        n_days=daily.count(),
        revenue=daily.amount.sum(),
        spend_year=year.ifelse(daily.amount, zero).sum(),
        spend_prior_year=prior_year.ifelse(daily.amount, zero).sum(),
        recent=recent.ifelse(1, 0).sum(),
        before=before.ifelse(1, 0).sum(),
        n30=(daily.day > as_of_day - 30).ifelse(1, 0).sum(),
        n90=(daily.day > as_of_day - 90).ifelse(1, 0).sum(),
        n180=(daily.day > as_of_day - 180).ifelse(1, 0).sum(),
        n365=year.ifelse(1, 0).sum(),
        spend_recent=recent.ifelse(daily.amount, zero).sum(),
        season=((daily.day > as_of_day - 365) & (daily.day <= as_of_day - 365 + window_days))
        .ifelse(1, 0)
        .sum(),
    )
    # Gaps between consecutive purchase days; sums of integer squares, so exact on any engine.
    ordered = ibis.window(group_by="customer_id", order_by="day")
    gaps = daily.mutate(gap=daily.day - daily.day.lag().over(ordered))
    gaps = gaps.filter(gaps.gap.notnull())
    gap_stats = gaps.group_by("customer_id").aggregate(
        gap_sq=(gaps.gap * gaps.gap).cast("int64").sum(), max_gap=gaps.gap.max()
    )
    last = agg.select("customer_id", "last_day")
    earlier = daily.join(last, "customer_id")
    earlier = earlier.filter(earlier.day < earlier.last_day)
    prev = earlier.group_by("customer_id").aggregate(prev_day=earlier.day.max())
    joined = agg.left_join(prev, "customer_id")
    joined = joined.drop(*[c for c in joined.columns if c.endswith("_right")])
    joined = joined.left_join(gap_stats, "customer_id")
    return joined.drop(*[c for c in joined.columns if c.endswith("_right")])


def labels(tx: ir.Table, *, as_of_day: int, window_days: int) -> ir.Table:
    """Purchase days per customer in (as_of_day, as_of_day + window_days]."""
    return E.holdout_counts(tx, calibration_day=as_of_day, holdout_day=as_of_day + window_days)


def _np(table: pa.Table, name: str) -> np.ndarray:
    return table[name].to_numpy(zero_copy_only=False).astype(np.float64)


def derive(table: pa.Table, *, as_of_day: int, window_days: int) -> dict[str, np.ndarray]:
    """The feature columns (``FEATURES``) from a ``facts`` table, as float arrays."""
    first, last = _np(table, "first_day"), _np(table, "last_day")
    prev = _np(table, "prev_day")  # NaN for one-time buyers
    n_days, revenue = _np(table, "n_days"), _np(table, "revenue") / SCALE
    x = n_days - 1
    days_since = as_of_day - last
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_gap = np.where(x > 0, (last - first) / x, np.nan)
        overdue = days_since / mean_gap
        prior = _np(table, "spend_prior_year") / SCALE
        trend = np.where(prior > 0, _np(table, "spend_year") / SCALE / prior - 1, np.nan)
    out = {
        "days_since_last": days_since,
        "mean_gap": mean_gap,
        "overdue": overdue,
        "gap_before_last": last - prev,
        "frequency": x,
        "tenure": as_of_day - first,
        "avg_spend": revenue / n_days,
        "spend_year": _np(table, "spend_year") / SCALE,
        "spend_trend": trend,
        "recent": _np(table, "recent"),
        "before": _np(table, "before"),
        "n30": _np(table, "n30"),
        "n90": _np(table, "n90"),
        "n180": _np(table, "n180"),
        "n365": _np(table, "n365"),
        "spend_recent": _np(table, "spend_recent") / SCALE,
        # Not yet a customer at the end of last year's window: no season to speak of.
        "season": np.where(first <= as_of_day - 365 + window_days, _np(table, "season"), np.nan),
    }
    out.update(_gap_spread(table, x, mean_gap, days_since))
    out.update(bgnbd(x, last - first, as_of_day - first, window_days))
    return out


def _gap_spread(
    table: pa.Table, x: np.ndarray, mean_gap: np.ndarray, days_since: np.ndarray
) -> dict[str, np.ndarray]:
    gap_sq, max_gap = _np(table, "gap_sq"), _np(table, "max_gap")  # NaN for one-time buyers
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(x > 0, gap_sq / np.maximum(x, 1) - mean_gap**2, np.nan)
        return {
            "gap_cv": np.sqrt(np.maximum(var, 0)) / mean_gap,
            "max_gap": max_gap,
            "over_max": days_since / max_gap,
        }


def bgnbd(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, window_days: int) -> dict[str, np.ndarray]:
    """BG/NBD fitted on these customers (in weeks): P(alive), E[purchases], P(none) in window."""
    nan = np.full(len(x), np.nan)
    if len(x) < 20 or not np.any(x > 0):
        return {"p_alive": nan, "expected": nan, "p_none": nan}
    recency, age, window = t_x / 7.0, T / 7.0, window_days / 7.0
    try:
        model = C.BetaGeoFitter().fit(x, recency, age)
    except (C.ConvergenceError, ValueError):
        return {"p_alive": nan, "expected": nan, "p_none": nan}
    alive = model.conditional_probability_alive(x, recency, age)
    expected = model.conditional_expected_number_of_purchases_up_to_time(window, x, recency, age)
    r, alpha = model.params_["r"], model.params_["alpha"]
    quiet = ((alpha + age) / (alpha + age + window)) ** (r + x)
    return {"p_alive": alive, "expected": expected, "p_none": 1 - alive + alive * quiet}
