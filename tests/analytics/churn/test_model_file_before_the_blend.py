"""A model file written before the blend with plain trees (no ``trees.txt``, no ``blend`` in
its metadata) still loads and scores, as the model alone."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pandas as pd

from kehu.analytics.churn.contractual import ChurnClassifier


def test_a_file_without_the_blend_loads_as_the_model_alone(fitted, telecom_new_csv):
    path, _ = fitted
    old = io.BytesIO()
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(old, "w") as out:
        meta = json.loads(zf.read("meta.json"))
        meta.pop("blend", None)
        out.writestr("meta.json", json.dumps(meta))
        out.writestr("model.txt", zf.read("model.txt"))
    model, _ = ChurnClassifier.from_bytes(old.getvalue())
    assert model.blend_ == 0.0 and model.trees_booster_ is None
    prob = model.predict_proba(pd.read_csv(telecom_new_csv))
    assert np.all((prob > 0) & (prob < 1))
