"""A reason is only ever a column with a positive contribution: a column the model cannot use
(the same value for everyone) is never named, and a customer's reasons push risk up."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kehu.analytics.churn.contractual import ChurnClassifier
from kehu.analytics.churn.scoring import score_frame
from tests.support import churn_synthetic as synthetic


def test_a_constant_column_is_never_a_reason(tmp_path):
    frame = synthetic.telecom(1500, seed=21)
    frame["Region"] = "Shanghai"
    y = (frame["Churn"] == "Yes").to_numpy().astype(int)
    features = [c for c in frame.columns if c not in {"customerID", "Churn"}]
    model = ChurnClassifier(n_jobs=1, folds=3).fit(frame, y, features)
    scored = score_frame(model, frame, "customerID", "en", all_reasons=True)
    text = scored[["reason_1", "reason_2", "reason_3"]].agg(" | ".join, axis=1)
    assert not text.str.contains("Shanghai|Region").any()
    contrib = model.contributions(model.matrix(frame))
    assert np.all(contrib[:, features.index("Region")] == 0)


def test_named_reasons_have_positive_contributions(fitted, telecom_new_csv):
    path, _ = fitted
    model, _ = ChurnClassifier.from_bytes(path.read_bytes())
    frame = pd.read_csv(telecom_new_csv, dtype=str, keep_default_na=False)
    X = model.matrix(frame)
    contrib = model.contributions(X)
    scored = score_frame(model, frame, "customerID", "en", all_reasons=True)
    named = (scored[["reason_1", "reason_2", "reason_3"]] != "").sum(axis=1).to_numpy()
    positive = (contrib > 0).sum(axis=1)
    # As many reasons as positive contributions (at most three)...
    above = scored["churn_probability"].to_numpy() > model.base_rate_
    expected = np.minimum(positive, 3)
    fallback = above & (positive == 0)  # the documented exception: one reason, the largest
    assert np.array_equal(named[~fallback], expected[~fallback])
    assert np.all(named[fallback] == 1)
