"""Backtest: replay the last N month-ends as if each were today.

For each month-end m (the most recent ones whose following window has fully happened), the
activity model is fitted and scores customers with the transactions up to m only, and its
scores are compared with what happened next: did the customer buy in (m, m + horizon]? Each
month reports the model's AUC, BG/NBD's (expected purchases) AUC on the same customers,
top-decile lift, Brier score and a calibration table (``metrics``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kehu.analytics.churn import metrics as M
from kehu.analytics.churn.activity import ActivityModel, purchases


def month_ends(last_possible: dt.date, count: int) -> list[dt.date]:
    """The ``count`` month-ends on or before ``last_possible``, oldest first."""
    y, m = last_possible.year, last_possible.month
    if last_possible.day != calendar.monthrange(y, m)[1]:
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    out = []
    for _ in range(count):
        out.append(dt.date(y, m, calendar.monthrange(y, m)[1]))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def backtest_activity(
    transactions: pa.Table,
    *,
    months: int = 6,
    horizon_days: int = 90,
    data_end: dt.date | None = None,
    bins: int = 10,
    **model_options: Any,
) -> list[dict[str, Any]]:
    """Per month-end: scores with data to then vs what happened in the next ``horizon_days``.

    ``data_end`` (default: the last transaction date) is the last day whose purchases are
    known; month-ends are those with ``month_end + horizon_days <= data_end``.
    """
    if transactions.num_rows == 0:
        raise ValueError("no transactions")
    end = data_end or pc.max(transactions["date"]).as_py()
    bought_rows = purchases(transactions)
    results = []
    for month_end in month_ends(end - dt.timedelta(days=horizon_days), months):
        horizon_end = month_end + dt.timedelta(days=horizon_days)
        model = ActivityModel(**model_options).fit(
            transactions, calibration_end=month_end, horizon_end=horizon_end
        )
        scores = model.scores_
        after = bought_rows.filter(
            pc.and_(
                pc.greater(bought_rows["date"], pa.scalar(month_end)),
                pc.less_equal(bought_rows["date"], pa.scalar(horizon_end)),
            )
        )
        bought = pc.is_in(
            pa.array(scores["id"].astype(str)), value_set=pc.unique(after["customer_id"])
        ).to_numpy(zero_copy_only=False)
        y = (~bought).astype(np.int64)
        prob = scores["churn_probability"].to_numpy()
        row = {
            "month_end": month_end.isoformat(),
            "horizon_end": horizon_end.isoformat(),
            **M.report(y, prob),
            "bgnbd_auc": M.auc(y, -scores["expected_purchases"].to_numpy()),
            "window_days": model.window_days_,
            "calibration": M.calibration_table(y, prob, bins=bins),
        }
        results.append(row)
    return results
