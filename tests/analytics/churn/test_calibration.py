"""Probabilities are calibrated: on customers the fit never saw, the Brier score beats the base
rate's, and in every tenth of the customers by predicted risk the observed churn rate is within
a few points of the mean prediction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kehu.analytics.churn import metrics as M
from kehu.analytics.churn.contractual import ChurnClassifier


def test_reliability_on_new_customers(fitted, telecom_new_csv):
    model_path, report = fitted
    model, _ = ChurnClassifier.from_bytes(model_path.read_bytes())
    frame = pd.read_csv(telecom_new_csv, dtype=str, keep_default_na=False)
    y = (frame["Churn"] == "Yes").to_numpy().astype(int)
    prob = model.predict_proba(frame)
    assert M.brier(y, prob) < M.brier(y, np.full(len(y), y.mean())) * 0.8
    table = M.calibration_table(y, prob, bins=10)
    gaps = [abs(row["predicted"] - row["observed"]) for row in table]
    assert max(gaps) < 0.08, table
    assert abs(prob.mean() - y.mean()) < 0.03
    # The held-out report agrees: its Brier score is the calibrated model's.
    assert report["model"]["brier"] < report["lightgbm_default"]["brier"]
