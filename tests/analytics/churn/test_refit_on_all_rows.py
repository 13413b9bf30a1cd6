"""After the held-out report the contractual model is fitted again on every row (held-out
ones included) with the settings it chose; the report still describes the model that did not
see the held-out rows, and a file keeps how many rows the scoring model learnt from."""

from __future__ import annotations

import numpy as np

from kehu.analytics.churn.contractual import ChurnClassifier
from tests.support import churn_synthetic as synthetic

GRID = ({"num_leaves": 4, "min_child_samples": 50},)


def _data():
    frame = synthetic.telecom(1500, seed=5)
    y = frame.pop("Churn").str.lower().eq("yes").to_numpy().astype(int)
    frame = frame.drop(columns=["customerID"])
    return frame, y, list(frame.columns)


def test_the_scoring_model_is_fitted_on_every_row():
    frame, y, columns = _data()
    model = ChurnClassifier(n_jobs=1, grid=GRID).fit(frame, y, columns)
    assert model.fitted_rows_ == len(y)
    assert model.metrics_["training_rows"] == round(0.8 * len(y))
    assert model.booster_.num_trees() >= model.metrics_["rounds"]
    again, _ = ChurnClassifier.from_bytes(model.to_bytes())
    assert again.fitted_rows_ == len(y)
    assert np.allclose(again.predict_proba(frame), model.predict_proba(frame))


def test_without_refit_the_scoring_model_is_the_reported_one():
    frame, y, columns = _data()
    kept = ChurnClassifier(n_jobs=1, grid=GRID, refit=False).fit(frame, y, columns)
    refitted = ChurnClassifier(n_jobs=1, grid=GRID).fit(frame, y, columns)
    assert kept.fitted_rows_ == kept.metrics_["training_rows"]
    # The same held-out report (the same split and settings), different scoring models.
    assert kept.metrics_["model"] == refitted.metrics_["model"]
    assert not np.allclose(kept.predict_proba(frame), refitted.predict_proba(frame))
