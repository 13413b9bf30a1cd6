"""When the cross-validation prefers the plain trees, the regression's log-odds may take a share
of the score (chosen out of fold): the blend is what scores, its per-column contributions add up
to it exactly, and a model file keeps it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kehu.analytics.churn.contractual import ChurnClassifier

GRID = ({"num_leaves": 8, "min_child_samples": 20},)


def _data(n: int = 3000, seed: int = 3):
    # (On this draw the cross-validation prefers the plain trees and a 0.1 share of the
    # regression; other draws of the same process land on either side: the choice is data's.)
    # Churn hangs on a threshold interaction (trees) and on a smooth slope (the regression).
    rng = np.random.default_rng(seed)
    calls = rng.poisson(1.5, n)
    plan = rng.choice(["basic", "intl"], n, p=[0.8, 0.2])
    minutes = rng.normal(180, 50, n)
    tenure = rng.uniform(0, 72, n)
    logit = -2.2 + 3.0 * ((calls >= 4) | ((plan == "intl") & (minutes > 230))) - 0.02 * tenure
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    frame = pd.DataFrame({"calls": calls, "plan": plan, "minutes": minutes, "tenure": tenure})
    return frame, y, list(frame.columns)


@pytest.fixture(scope="module")
def fitted():
    frame, y, columns = _data()
    return frame, ChurnClassifier(n_jobs=1, grid=GRID).fit(frame, y, columns)


def test_the_regression_takes_a_share_beside_the_plain_trees(fitted):
    frame, model = fitted
    assert not model.boost_from_linear_ and model.blend_with_ == "linear"
    assert 0 < model.blend_ <= 0.5
    assert model.trees_booster_ is None
    assert model.metrics_["blend_with"] == "linear"
    X = model.matrix(frame)
    trees = model.booster_.predict(X, raw_score=True)
    linear = model.intercept_ + model.design_.transform(X, model.specs_) @ np.asarray(model.coef_)
    blended = (1 - model.blend_) * trees + model.blend_ * linear
    assert np.allclose(model.raw_score(X), blended)
    assert not np.allclose(model.raw_score(X), trees)


def test_its_contributions_add_up_to_the_blend(fitted):
    frame, model = fitted
    X = model.matrix(frame)
    contrib = model.contributions(X)
    a = model.platt_[0]
    remainder = a * model.raw_score(X) - contrib.sum(axis=1)
    assert np.allclose(remainder, remainder[0])  # the expected value and intercept: no column's


def test_a_model_file_keeps_the_blend(fitted):
    frame, model = fitted
    again, meta = ChurnClassifier.from_bytes(model.to_bytes())
    assert meta["blend_with"] == "linear" and again.blend_ == model.blend_
    assert np.allclose(again.predict_proba(frame), model.predict_proba(frame))
    assert np.allclose(
        again.contributions(again.matrix(frame)), model.contributions(model.matrix(frame))
    )
