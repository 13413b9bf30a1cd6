"""Only purchases up to the calibration date are used: adding later rows (new purchases of
known customers, new customers, a different future) does not change a single score."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from kehu.analytics.churn.activity import ActivityModel

CAL, END = dt.date(2024, 6, 30), dt.date(2024, 9, 30)


def fit(tx: pa.Table):
    return ActivityModel(n_jobs=1).fit(tx, calibration_end=CAL, horizon_end=END).scores_


def test_later_rows_do_not_change_the_scores(purchases):
    known = purchases.filter(pa.compute.less_equal(purchases["date"], pa.scalar(CAL)))
    before = fit(known)
    ids = known["customer_id"].to_pylist()[:300]
    later = pa.table(
        {
            "customer_id": ids + ["brand-new"] * 5,
            "order_id": pa.nulls(305, pa.string()),
            "date": [CAL + dt.timedelta(days=1 + i % 200) for i in range(305)],
            "amount": [1000.0] * 305,
            "cost": pa.nulls(305, pa.float64()),
        },
        schema=purchases.schema,
    )
    after = fit(pa.concat_tables([purchases, later]))
    assert after["id"].tolist() == before["id"].tolist()
    for column in ("churn_probability", "p_alive", "expected_purchases"):
        assert after[column].to_numpy() == pytest.approx(before[column].to_numpy(), abs=0, rel=0)


def test_the_history_after_the_calibration_date_is_not_read(purchases):
    # The same log cut at the calibration date and the full log give the same model.
    known = purchases.filter(pa.compute.less_equal(purchases["date"], pa.scalar(CAL)))
    model_cut = ActivityModel(n_jobs=1).fit(known, calibration_end=CAL, horizon_end=END)
    model_full = ActivityModel(n_jobs=1).fit(purchases, calibration_end=CAL, horizon_end=END)
    assert model_cut.booster_.model_to_string() == model_full.booster_.model_to_string()
