"""On the CDNOW sample (tests/data), the activity model's AUC against "no purchase in
(calibration end, horizon end]" compared with BG/NBD's expected-purchases ranking, at several
splits: these are the figures in bench/README.md, so a change that loses ground fails here.

Where the model clearly beats BG/NBD (calibration to the end of 1997) the test asks for at
least +0.005. Where it does not (yet), the test holds the measured level as a floor: with only
nine months of history before 1997-09-30 the model trains on windows shorter than the horizon
and is measured 0.008 below BG/NBD on the classic 39-week split (and 0.004 above it on the other
21,213 customers of the full CDNOW cohort, bench/README.md). 2,357 customers give an AUC
difference a standard error of about 0.005, so the floors leave that much room.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kehu.analytics import io
from kehu.analytics.churn import metrics as M
from kehu.analytics.churn.activity import ActivityModel

SPLITS = [
    # calibration end, horizon end, least model AUC - BG/NBD AUC (measured)
    ("1997-12-31", "1998-06-30", 0.005),  # +0.0085
    ("1997-12-31", "1998-03-31", 0.005),  # +0.0114
    ("1998-03-31", "1998-06-30", -0.004),  # +0.0004
    ("1997-09-30", "1997-12-31", -0.005),  # +0.0003
    ("1997-09-30", "1998-06-30", -0.012),  # -0.0079: the target is not met here
]


@pytest.fixture(scope="module")
def cdnow(cdnow_path) -> pa.Table:
    return io.read_transactions(cdnow_path, format="cdnow")


@pytest.mark.parametrize(("cal", "end", "margin"), SPLITS)
def test_activity_auc_against_bgnbd_on_cdnow(cdnow, cal, end, margin):
    model = ActivityModel(n_jobs=1).fit(cdnow, calibration_end=cal, horizon_end=end)
    scores = model.scores_
    after = cdnow.filter(
        pc.and_(
            pc.greater(cdnow["date"], pa.scalar(dt.date.fromisoformat(cal))),
            pc.less_equal(cdnow["date"], pa.scalar(dt.date.fromisoformat(end))),
        )
    )
    bought = set(after["customer_id"].to_pylist())
    y = np.array([0 if c in bought else 1 for c in scores["id"]])
    model_auc = M.auc(y, scores["churn_probability"])
    bgnbd_auc = M.auc(y, -scores["expected_purchases"])
    assert model_auc >= bgnbd_auc + margin, (model_auc, bgnbd_auc)
