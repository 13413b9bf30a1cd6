"""Seasonal buyers (the Christmas order, bought every November and December) are quiet most of
the year: the activity model reads last year's same weeks (``features.season``), ranks who will
be back above BG/NBD, which takes their quiet for lapsing, and says so in its reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kehu.analytics import io
from kehu.analytics.churn import metrics as M
from kehu.analytics.churn import reasons as R
from kehu.analytics.churn.activity import ActivityModel, _activity_phrase
from tests.support import churn_synthetic as synthetic

CAL, END = "2024-09-30", "2024-12-31"


def seasonal_log(seed: int = 3) -> pd.DataFrame:
    """Year-round buyers, and 800 who buy only in November-December until a year they stop."""
    regular = synthetic.purchases(2000, start="2022-01-01", days=1095, seed=seed)
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(800):
        last_year = rng.choice([2022, 2023, 2024, 2099], p=[0.15, 0.2, 0.25, 0.4])
        for year in range(2022, min(last_year, 2024) + 1):
            for _ in range(int(rng.integers(1, 4))):
                day = dt.date(year, 11, 1) + dt.timedelta(days=int(rng.integers(0, 55)))
                rows.append((f"S{i:05d}", day.isoformat(), round(float(rng.gamma(4, 30)), 2)))
    seasonal = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    return pd.concat([regular, seasonal], ignore_index=True)


@pytest.fixture(scope="module")
def fitted():
    frame = seasonal_log()
    table = io.validate(pa.Table.from_pandas(frame, preserve_index=False), "transactions")
    model = ActivityModel(n_jobs=1).fit(table, calibration_end=CAL, horizon_end=END)
    when = pd.to_datetime(frame["date"])
    later = frame[(when > pd.Timestamp(CAL)) & (when <= pd.Timestamp(END))]
    quiet = (~model.scores_["id"].isin(set(later["customer_id"]))).to_numpy().astype(int)
    return model, quiet


def test_seasonal_buyers_are_ranked_above_bgnbd(fitted):
    model, quiet = fitted
    mine = M.auc(quiet, model.scores_["churn_probability"].to_numpy())
    bgnbd = M.auc(quiet, -model.scores_["expected_purchases"].to_numpy())
    assert mine > bgnbd + 0.01  # measured 0.9265 vs 0.9091; without the feature 0.8748


def test_a_missed_season_is_a_reason(fitted):
    model, _ = fitted
    scores = model.scores_
    reasons = model.reasons("en")
    # Seasonal buyers who stopped after 2022: nothing in last year's November-December.
    stopped = [
        i
        for i, (cid, season) in enumerate(zip(scores["id"], scores["_season"], strict=True))
        if cid.startswith("S") and season == 0
    ]
    assert stopped
    said = [r for i in stopped for r in reasons[i]]
    window = model.window_days_
    assert f"no purchase in the same {window} days last year" in said


def test_the_season_in_both_languages():
    f = {"season": 2.0, "tenure": 700.0}
    assert (
        _activity_phrase("season", f, R.PHRASES["en"], 92)
        == "2 purchase(s) in the same 92 days last year"
    )
    assert _activity_phrase("season", f, R.PHRASES["zh-Hans"], 92) == "去年同期 92 天内购买 2 次"
    new = {"season": float("nan"), "tenure": 120.0}
    assert _activity_phrase("season", new, R.PHRASES["zh-Hans"], 92) == "成为客户 120 天"
