"""The backtest replays the last N month-ends: for each, scores with the data up to then
compared with what happened next, with AUC, lift and a calibration table."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from kehu.analytics.churn.backtest import backtest_activity, month_ends


def test_month_ends():
    assert month_ends(dt.date(2024, 3, 15), 3) == [
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),
    ]
    assert month_ends(dt.date(2024, 3, 31), 1) == [dt.date(2024, 3, 31)]


def test_backtest_reports_each_month(purchases):
    rows = backtest_activity(purchases, months=2, horizon_days=60, n_jobs=1)
    assert [r["month_end"] for r in rows] == ["2024-09-30", "2024-10-31"]
    last_day = max(purchases["date"].to_pylist())
    for r in rows:
        assert dt.date.fromisoformat(r["horizon_end"]) <= last_day
        assert 0.75 < r["auc"] <= 1 and r["top_decile_lift"] >= 1
        assert sum(c["n"] for c in r["calibration"]) == r["n"]
        assert len(r["calibration"]) == 10
        # The scored customers are those who had bought by that month-end.
        known = purchases.filter(
            pa.compute.less_equal(
                purchases["date"], pa.scalar(dt.date.fromisoformat(r["month_end"]))
            )
        )
        assert r["n"] == len(set(known["customer_id"].to_pylist()))


def test_a_month_uses_only_data_up_to_its_end(purchases):
    full = backtest_activity(purchases, months=1, horizon_days=60, n_jobs=1)[0]
    # Remove everything after that month's horizon: its figures do not move.
    horizon_end = dt.date.fromisoformat(full["horizon_end"])
    cut = purchases.filter(pa.compute.less_equal(purchases["date"], pa.scalar(horizon_end)))
    again = backtest_activity(cut, months=1, horizon_days=60, data_end=horizon_end, n_jobs=1)[0]
    assert again["month_end"] == full["month_end"]
    assert again["auc"] == full["auc"] and again["brier"] == full["brier"]
