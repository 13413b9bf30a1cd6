"""On purchase histories where customers keep their own rhythm and fade before they stop,
the activity model ranks next-quarter lapsers better than BG/NBD's expected purchases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kehu.analytics.churn import metrics as M
from kehu.analytics.churn.activity import ActivityModel


def test_auc_above_bgnbd_expected_purchases(purchases):
    cal, end = "2024-09-30", "2024-12-29"
    model = ActivityModel(n_jobs=1).fit(purchases, calibration_end=cal, horizon_end=end)
    scores = model.scores_
    window = purchases.filter(
        pc.and_(
            pc.greater(purchases["date"], pa.scalar(dt.date.fromisoformat(cal))),
            pc.less_equal(purchases["date"], pa.scalar(dt.date.fromisoformat(end))),
        )
    )
    bought = set(window["customer_id"].to_pylist())
    y = np.array([0 if c in bought else 1 for c in scores["id"]])
    model_auc = M.auc(y, scores["churn_probability"])
    bgnbd_auc = M.auc(y, -scores["expected_purchases"])
    assert model_auc > bgnbd_auc + 0.005, (model_auc, bgnbd_auc)
    assert M.brier(y, scores["churn_probability"]) < M.brier(y, np.full(len(y), y.mean()))
