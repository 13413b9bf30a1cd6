"""The value report's figures computed in the database, so a million scores never travel to
Python: one GROUP BY for the totals and distributions, one window query for the whale curve.

The curve follows ``kehu.analytics.value.whale_curve``: customers with any business (those
with a grade) ranked by profit, highest first; point k is (k / n, cumulative profit of the
first k as % of the total). Only the points the page needs are read: a few hundred for the
chart, the tenths for the Pareto bars, the top 20%, the peak (the last customer with positive
profit) and the first point that reaches 100%.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Case, Count, F, FloatField, QuerySet, Sum, Value, When

CURVE_POINTS = 200
# The last profitable customer must reach 100% despite float rounding (as in the analytics).
REACH_SLACK = 1e-9


def figures(scores: QuerySet) -> dict[str, Any]:
    """Totals and distributions of ``scores`` (one query, a few dozen rows back)."""
    negative = Case(When(profit__lt=0, then=F("profit")), default=Value(0.0))
    rows = list(
        scores.order_by()
        .values("grade", "tier", "is_core")
        .annotate(
            n=Count("id"),
            n_loss=Count(Case(When(profit__lt=0, then=1))),
            n_positive=Count(Case(When(profit__gt=0, then=1))),
            sum_profit=Sum("profit"),
            sum_loss=Sum(negative, output_field=FloatField()),
            sum_revenue=Sum("revenue"),
            sum_clv=Sum("clv"),
        )
    )
    out: dict[str, Any] = {
        "customers": 0,
        "ranked": 0,
        "positive": 0,
        "profit": 0.0,
        "ranked_profit": 0.0,
        "revenue": 0.0,
        "clv": 0.0,
        "core": 0,
        "loss_count": 0,
        "loss_total": 0.0,
    }
    grades: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    tiers: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for row in rows:
        profit = row["sum_profit"] or 0.0
        out["customers"] += row["n"]
        out["profit"] += profit
        out["revenue"] += row["sum_revenue"] or 0.0
        out["clv"] += row["sum_clv"] or 0.0
        out["loss_count"] += row["n_loss"]
        out["loss_total"] -= row["sum_loss"] or 0.0
        if row["is_core"]:
            out["core"] += row["n"]
        if row["grade"]:
            out["ranked"] += row["n"]
            out["positive"] += row["n_positive"]
            out["ranked_profit"] += profit
        for table, key in ((grades, row["grade"]), (tiers, row["tier"])):
            table[key][0] += row["n"]
            table[key][1] += profit
    out["grades"] = dict(grades)
    out["tiers"] = dict(tiers)
    return out


def _points(n: int, positive: int) -> list[int]:
    """The ranks (1-based) to read: chart samples, tenths, top 20%, the peak, the last."""
    wanted = set(np.linspace(1, n, min(CURVE_POINTS, n)).round().astype(int).tolist())
    groups = min(10, n)
    wanted.update(np.linspace(0, n, groups + 1).round().astype(int)[1:].tolist())
    wanted.add(max(math.ceil(0.2 * n - 1e-9), 1))
    wanted.add(max(positive, 1))
    wanted.add(n)
    return sorted(w for w in wanted if 1 <= w <= n)


def cumulative(ranked: QuerySet, *, n: int, positive: int, total: float) -> dict[int, float]:
    """Cumulative profit at the ranks of ``_points`` plus the first rank reaching ``total``."""
    if n == 0:
        return {}
    inner, params = ranked.order_by().values_list("customer_id", "profit").query.sql_with_params()
    ranks = _points(n, positive)
    marks = ", ".join(["%s"] * len(ranks))
    # ROWS frame: a running sum per row even where profits tie (RANGE would lump ties).
    sql = (
        "WITH c AS (SELECT ROW_NUMBER() OVER w AS rn, SUM(s.profit) OVER w AS cum "  # noqa: S608
        f"FROM ({inner}) s WINDOW w AS (ORDER BY s.profit DESC, s.customer_id "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) "
        f"SELECT rn, cum FROM c WHERE rn IN ({marks}) "
        "OR rn = (SELECT MIN(rn) FROM c WHERE cum >= %s) ORDER BY rn"
    )
    reach = total * (1 - REACH_SLACK) if total > 0 else math.inf
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ranks, reach if math.isfinite(reach) else None])
        return {int(rn): float(cum) for rn, cum in cursor.fetchall()}


def whale(
    points: dict[int, float],
    *,
    n: int,
    positive: int,
    total: float,
    loss_count: int,
    loss_total: float,
) -> tuple[list[list[float]], dict[str, Any], dict[str, Any]]:
    """(chart points [[% customers, % profit]…], headline, Pareto bars) from ``cumulative``."""
    headline: dict[str, Any] = {
        "customers": n,
        "total_profit": total,
        "loss_makers": loss_count,
        "loss_total": loss_total,
        "share_making_100pct": None,
        "peak_pct": None,
        "peak_share": None,
        "top20_pct": None,
    }
    if n == 0:
        return [], headline, {}
    good = total > 0

    def pct(rank: int) -> float:
        return points[rank] / total * 100 if good else 0.0

    curve = [[0.0, 0.0]] + [[round(r / n * 100, 3), round(pct(r), 3)] for r in sorted(points)]
    if good:
        reached = [r for r, cum in points.items() if cum >= total * (1 - REACH_SLACK)]
        peak = max(positive, 1)
        headline.update(
            share_making_100pct=min(reached) / n if reached else None,
            peak_pct=pct(peak),
            peak_share=peak / n,
            top20_pct=pct(max(math.ceil(0.2 * n - 1e-9), 1)),
        )
    groups = min(10, n)
    bounds = np.linspace(0, n, groups + 1).round().astype(int).tolist()
    cums = [0.0] + [points[b] for b in bounds[1:]]
    sums = [cums[i + 1] - cums[i] for i in range(groups)]
    pareto = {
        "labels": [
            f"{round(100 * a / n)}–{round(100 * b / n)}%"
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ],
        "profit": [round(s, 2) for s in sums],
        "cumulative_pct": [round(c / total * 100, 2) if good else None for c in cums[1:]],
    }
    return curve, headline, pareto
