"""Customer value: profit, the whale curve, RFM, grades and tiers, core customers.

All figures are per customer, as of a date, over the whole history up to it (or the last
``window_days`` days when set). Set-based parts are Ibis expressions (run by an ``Engine``); the
rules on one customer's row are vectorised numpy.

Profit (B1)
    ``profit = revenue − cogs − cost_to_serve − bad_debt`` where revenue and cogs sum the
    transactions' ``amount`` and ``cost`` (a null cost counts 0); cost_to_serve sums, per service
    event, ``unit_cost[kind] + minutes × cost_per_minute[kind]`` (unknown kinds use the
    defaults); bad_debt is, over invoices due by the date, the written-off amount plus, for an
    invoice still unpaid at the date and overdue by more than ``overdue_days``, its remaining
    ``amount − written_off``.
Customers and prospects
    Profit is a customer's: anyone with a purchase day by the date (over all history, even when
    ``window_days`` narrows the money) or an invoice due by it. A prospect (neither) has earned
    nothing and lost nothing on a relationship that has not begun: its profit is 0, it has no
    loss reason, grade or tier and is left out of the whale curve and the loss-maker count. What
    was spent serving it stays in its ``cost_to_serve`` and is summed in the run summary as
    ``acquisition_cost`` (with the number of ``prospects``): the cost of winning customers,
    which belongs to marketing's books, not to any customer's.
Loss reason
    For a customer with negative profit, the largest of three losses: ``negative_margin``
    (cogs − revenue, when positive), ``cost_to_serve`` and ``bad_debt`` (ties in that order).
Whale curve (B2)
    Customers ranked by profit, highest first (ties by customer_id). Each point gives the
    customer share (rank / N) and the cumulative profit as % of total profit. The summary names
    the smallest customer share whose cumulative profit reaches 100% of the total, and the peak:
    the largest cumulative %, and the customer share where it is reached ("the top 20% make
    130%"). Ranked are the customers (see above), never the prospects.
RFM (B3)
    R = day of last purchase (later is better), F = number of purchase days, M = revenue. Each
    score is the quintile of the share of buyers with a strictly worse value:
    ``1 + floor(5 × rank / N)`` with ``rank`` the SQL RANK from 0 (ties share the lowest rank),
    so equal values always get equal scores, without arbitrary tie-breaking. Segments on (R, F):
    champions R≥4, F≥4; new R=5, F=1; potential R≥4, F≤3 (not new); loyal R=3, F≥3;
    can't lose R≤2, F=5; at risk R≤2, F 3–4; hibernating R 2–3, F≤2; lost R=1, F≤2.
Grades A/B/C (B3)
    By default an ABC analysis: customers ranked by profit; A are those needed to reach the first
    80% of the total positive profit (the customer crossing 80% included), B the next ones to
    95%, C the rest (including every customer without positive profit). Or absolute: A if profit
    ≥ ``grade_min_profit[0]``, B if ≥ ``[1]``, else C.
Tiers (B3)
    The customer pyramid of Chinese CRM textbooks (关键/主要/普通/小客户): by profit rank, key =
    top 1% of ranked customers, major = next 4% (to 5%), ordinary = next 15% (to 20%), small =
    the remaining 80% and anyone without positive profit. A customer at 0-based rank k of N is in
    the first band whose cut-off exceeds k/N, so the top customer is always key. Or absolute
    profit thresholds (``tier_min_profit``).
Core customer (B4)
    All four: large business (revenue among the top ``core_top_revenue_share`` of buyers, same
    banding as tiers), pays on time (share of due invoices paid by their due date ≥
    ``core_min_on_time_share``; a customer without invoices pays on delivery and passes), little
    service (cost_to_serve / revenue ≤ ``core_max_service_ratio``), long relationship (days since
    the first purchase or the customer record, whichever is earlier, ≥ ``core_min_tenure_days``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike, NDArray

from kehu.analytics import schema as S

DEFAULT_UNIT_COST = MappingProxyType(
    {"email": 1.0, "chat": 2.0, "phone": 5.0, "ticket": 20.0, "visit": 80.0}
)
DEFAULT_COST_PER_MINUTE = MappingProxyType({"phone": 1.0, "chat": 0.5, "visit": 1.0})


@dataclass(frozen=True, kw_only=True)
class ValueConfig:
    """Cut-offs and unit costs for the value figures (see the module docstring)."""

    unit_cost: Mapping[str, float] = field(default_factory=lambda: DEFAULT_UNIT_COST)
    cost_per_minute: Mapping[str, float] = field(default_factory=lambda: DEFAULT_COST_PER_MINUTE)
    default_unit_cost: float = 5.0
    default_cost_per_minute: float = 0.0
    overdue_days: int = 90
    window_days: int | None = None
    grade_cuts: tuple[float, float] = (0.80, 0.95)
    grade_min_profit: tuple[float, float] | None = None
    tier_cuts: tuple[float, float, float] = (0.01, 0.05, 0.20)
    tier_min_profit: tuple[float, float, float] | None = None
    core_top_revenue_share: float = 0.20
    core_min_on_time_share: float = 0.90
    core_max_service_ratio: float = 0.05
    core_min_tenure_days: int = 365


# --------------------------------------------------------------------------- Ibis parts


def service_costs(events: ir.Table, *, as_of_day: int, config: ValueConfig) -> ir.Table:
    """Per customer: cost_to_serve and the number of service events."""
    cond = events.day <= as_of_day
    if config.window_days is not None:
        cond = cond & (events.day > as_of_day - config.window_days)
    ev = events.filter(cond)
    unit = _lookup(ev.kind, config.unit_cost, config.default_unit_cost)
    per_min = _lookup(ev.kind, config.cost_per_minute, config.default_cost_per_minute)
    ev = ev.mutate(cost=unit + ev.minutes * per_min)
    return ev.group_by("customer_id").aggregate(
        cost_to_serve=ev.cost.sum(), service_events=ev.count()
    )


def _lookup(kind: ir.StringValue, table: Mapping[str, float], default: float) -> ir.FloatingValue:
    if not table:
        return ibis.literal(float(default))
    branches = [(kind == k, ibis.literal(float(v))) for k, v in sorted(table.items())]
    return ibis.cases(*branches, else_=ibis.literal(float(default)))


def receivable_stats(rec: ir.Table, *, as_of_day: int, config: ValueConfig) -> ir.Table:
    """Per customer: bad_debt, invoices counted for punctuality, and those paid on time.

    An invoice counts for punctuality once it is paid or its due date has passed.
    """
    cond = rec.due_day <= as_of_day
    if config.window_days is not None:
        cond = cond & (rec.due_day > as_of_day - config.window_days)
    r = rec.filter(cond)
    paid = r.paid_day.notnull() & (r.paid_day <= as_of_day)
    outstanding = ibis.greatest(r.amount - r.written_off, 0.0)
    overdue = (~paid) & (as_of_day - r.due_day > config.overdue_days)
    r = r.mutate(
        bad=r.written_off + overdue.ifelse(outstanding, 0.0),
        counted=(paid | (r.due_day < as_of_day)).ifelse(1, 0),
        on_time=(paid & (r.paid_day <= r.due_day)).ifelse(1, 0),
    )
    return r.group_by("customer_id").aggregate(
        bad_debt=r.bad.sum(), invoices_due=r.counted.sum(), invoices_on_time=r.on_time.sum()
    )


def rfm_scores(activity: ir.Table) -> ir.Table:
    """R, F, M quintile scores (1-5) per buyer; see the module docstring for the rule."""
    n = activity.count().over(ibis.window())

    def score(col: ir.Column) -> ir.IntegerValue:
        rank = ibis.rank().over(order_by=col)  # 0-based, ties share the lowest rank
        return ((rank * 5) // n + 1).cast("int64")

    scored = activity.mutate(
        rfm_r=score(activity.last_day),
        rfm_f=score(activity.n_days),
        rfm_m=score(activity.revenue),
    )
    return scored.select(
        "customer_id",
        "rfm_r",
        "rfm_f",
        "rfm_m",
        rfm_score=scored.rfm_r * 100 + scored.rfm_f * 10 + scored.rfm_m,
    )


# --------------------------------------------------------------------------- row rules

SEGMENTS = (
    "champions",
    "loyal",
    "potential",
    "new",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)


def rfm_segment(r: ArrayLike, f: ArrayLike) -> NDArray[np.object_]:
    """Named segment from R and F scores (None where a score is missing)."""
    r = np.asarray(r, dtype=float)
    f = np.asarray(f, dtype=float)
    conditions = [
        (r >= 4) & (f >= 4),
        (r == 5) & (f == 1),
        (r >= 4) & (f <= 3),
        (r == 3) & (f >= 3),
        (r <= 2) & (f == 5),
        (r <= 2) & (f >= 3),
        (r >= 2) & (f <= 2),
        (r == 1) & (f <= 2),
    ]
    names = ["champions", "new", "potential", "loyal", "cant_lose", "at_risk", "hibernating"]
    names.append("lost")
    out = np.select(conditions, names, default="")
    result = out.astype(object)
    result[(out == "") | np.isnan(r) | np.isnan(f)] = None
    return result


def is_customer(*, n_days: ArrayLike, invoices_due: ArrayLike) -> NDArray[np.bool_]:
    """Who has a profit (see the module docstring): bought (purchase days ≥ 1) or was billed
    (a count of due invoices, NaN where the customer has none)."""
    bought = np.nan_to_num(np.asarray(n_days, dtype=float)) >= 1
    return bought | ~np.isnan(np.asarray(invoices_due, dtype=float))


def customer_profit(
    revenue: ArrayLike,
    cogs: ArrayLike,
    cost_to_serve: ArrayLike,
    bad_debt: ArrayLike,
    *,
    customer: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """revenue − cogs − cost_to_serve − bad_debt for customers, 0 for prospects."""
    rev, cg, cts, bd = (
        np.asarray(v, dtype=float) for v in (revenue, cogs, cost_to_serve, bad_debt)
    )
    profit = rev - cg - cts - bd
    if customer is None:
        return profit
    return np.where(np.asarray(customer, dtype=bool), profit, 0.0)


def loss_reason(
    revenue: ArrayLike,
    cogs: ArrayLike,
    cost_to_serve: ArrayLike,
    bad_debt: ArrayLike,
    *,
    customer: ArrayLike | None = None,
) -> NDArray[np.object_]:
    """The dominant loss for customers with negative profit, else None (prospects: None)."""
    rev, cg, cts, bd = (
        np.asarray(v, dtype=float) for v in (revenue, cogs, cost_to_serve, bad_debt)
    )
    profit = customer_profit(rev, cg, cts, bd, customer=customer)
    losses = np.column_stack([np.maximum(cg - rev, 0.0), cts, bd])
    names = np.array(["negative_margin", "cost_to_serve", "bad_debt"], dtype=object)
    reason = names[np.argmax(losses, axis=1)] if len(rev) else np.array([], dtype=object)
    out = np.full(len(rev), None, dtype=object)
    out[profit < 0] = reason[profit < 0]
    return out


def profit_order(customer_id: ArrayLike, value: ArrayLike) -> NDArray[np.int64]:
    """Indices ordering customers by value, highest first, ties by customer_id.

    ``customer_id`` may also be any numeric sort key that orders like the ids (the pipeline
    passes row positions of a table sorted by customer_id: much faster than string keys).
    """
    ids = np.asarray(customer_id)
    key = ids if ids.dtype.kind in "iuf" else ids.astype(str)
    # lexsort's last key is primary.
    return np.lexsort((key, -np.asarray(value, dtype=float)))


def whale_curve(
    customer_id: ArrayLike, profit: ArrayLike, *, sort_key: ArrayLike | None = None
) -> tuple[pa.Table, dict]:
    """The ranked whale curve and its headline figures (``sort_key``: see ``profit_order``)."""
    ids = (
        customer_id
        if isinstance(customer_id, pa.Array)
        else pa.array(list(np.asarray(customer_id)), pa.string())
    )
    p = np.asarray(profit, dtype=float)
    order = profit_order(ids.to_numpy(zero_copy_only=False) if sort_key is None else sort_key, p)
    ranked = p[order]
    n = len(ranked)
    cum = np.cumsum(ranked)
    total = float(cum[-1]) if n else 0.0
    share = np.arange(1, n + 1) / n if n else np.zeros(0)
    pct = cum / total * 100 if total > 0 else np.full(n, np.nan)
    table = pa.table(
        {
            "rank": np.arange(1, n + 1, dtype=np.int64),
            "customer_id": ids.take(pa.array(order)),
            "profit": ranked,
            "customer_share": share,
            "cumulative_profit": cum,
            "cumulative_profit_pct": pct,
        },
        schema=S.WHALE,
    )
    summary: dict = {
        "customers": n,
        "total_profit": total,
        "loss_makers": int(np.sum(p < 0)),
        "loss_total": float(abs(p[p < 0].sum())),
        "share_making_100pct": None,
        "peak_pct": None,
        "peak_share": None,
        "top20_pct": None,
    }
    if n and total > 0:
        # 1e-9 slack: the last profitable customer should reach 100% despite rounding.
        reached = np.nonzero(pct >= 100 - 1e-9)[0]
        summary["share_making_100pct"] = float(share[reached[0]])
        peak = int(np.argmax(pct))
        summary["peak_pct"] = float(pct[peak])
        summary["peak_share"] = float(share[peak])
        k = max(int(np.ceil(0.2 * n - 1e-9)), 1)
        summary["top20_pct"] = float(pct[k - 1])
    return table, summary


def _band(position: NDArray[np.float64], cuts: tuple[float, ...]) -> NDArray[np.int64]:
    """Index of the first cut-off above each position (len(cuts) when none)."""
    return np.searchsorted(np.asarray(cuts, dtype=float), position, side="right")


def grades(customer_id: ArrayLike, profit: ArrayLike, config: ValueConfig) -> NDArray[np.object_]:
    """A/B/C per customer (see the module docstring)."""
    p = np.asarray(profit, dtype=float)
    labels = np.array(["A", "B", "C"], dtype=object)
    if config.grade_min_profit is not None:
        a_min, b_min = config.grade_min_profit
        return np.where(p >= a_min, "A", np.where(p >= b_min, "B", "C")).astype(object)
    order = profit_order(customer_id, p)
    positive = np.maximum(p[order], 0.0)
    total = positive.sum()
    out = np.full(len(p), "C", dtype=object)
    if total <= 0:
        return out
    before = (np.cumsum(positive) - positive) / total  # share reached before this customer
    band = _band(before, config.grade_cuts)
    ranked = np.where(positive > 0, labels[np.minimum(band, 2)], "C")
    out[order] = ranked
    return out


def tiers(customer_id: ArrayLike, profit: ArrayLike, config: ValueConfig) -> NDArray[np.object_]:
    """key/major/ordinary/small per customer (see the module docstring)."""
    p = np.asarray(profit, dtype=float)
    labels = np.array(["key", "major", "ordinary", "small"], dtype=object)
    if config.tier_min_profit is not None:
        k_min, m_min, o_min = config.tier_min_profit
        idx = np.where(p >= k_min, 0, np.where(p >= m_min, 1, np.where(p >= o_min, 2, 3)))
        return labels[idx]
    n = len(p)
    order = profit_order(customer_id, p)
    band = _band(np.arange(n) / max(n, 1), config.tier_cuts)
    ranked = np.where(p[order] > 0, labels[band], "small")
    out = np.empty(n, dtype=object)
    out[order] = ranked
    return out


def core_flags(
    customer_id: ArrayLike,
    *,
    revenue: ArrayLike,
    cost_to_serve: ArrayLike,
    on_time_share: ArrayLike,
    tenure_days: ArrayLike,
    config: ValueConfig,
) -> NDArray[np.bool_]:
    """The core-customer flag (all four conditions of the module docstring)."""
    rev = np.asarray(revenue, dtype=float)
    cts = np.asarray(cost_to_serve, dtype=float)
    on_time = np.nan_to_num(np.asarray(on_time_share, dtype=float), nan=1.0)
    tenure = np.nan_to_num(np.asarray(tenure_days, dtype=float), nan=-1.0)
    buyer = rev > 0
    n_buyers = int(buyer.sum())
    large = np.zeros(len(rev), dtype=bool)
    if n_buyers:
        order = profit_order(customer_id, np.where(buyer, rev, -np.inf))[:n_buyers]
        position = np.arange(n_buyers) / n_buyers
        large[order] = position < config.core_top_revenue_share
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(buyer, cts / np.where(buyer, rev, 1.0), np.inf)
    return (
        large
        & (on_time >= config.core_min_on_time_share)
        & (ratio <= config.core_max_service_ratio)
        & (tenure >= config.core_min_tenure_days)
    )
