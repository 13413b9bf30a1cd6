"""``kehu churn fit --json`` prints the held-out figures of the model and of the baseline, and
writes a model file: a zip of LightGBM's text model and JSON metadata with a version."""

from __future__ import annotations

import json
import zipfile

METRICS = {"n", "base_rate", "auc", "pr_auc", "top_decile_lift", "brier"}


def test_fit_json_reports_model_and_baseline_on_held_out_rows(fitted):
    _, report = fitted
    for name in ("model", "baseline", "lightgbm_default", "lightgbm_tuned"):
        assert set(report[name]) == METRICS
        assert 0.5 < report[name]["auc"] <= 1
        assert report[name]["n"] == 500  # 20 % of 2,500 rows held out
    assert report["rows"] == 2500
    assert "customerID" not in report["features"] and "Churn" not in report["features"]


def test_the_model_file_is_a_zip_of_text_and_json_with_a_version(fitted):
    model, _ = fitted
    with zipfile.ZipFile(model) as zf:
        meta = json.loads(zf.read("meta.json"))
        # The plain trees of the blend are stored beside the model when they have a weight.
        blended = ["trees.txt"] if meta["blend"] > 0 else []
        assert sorted(zf.namelist()) == ["meta.json", "model.txt", *blended]
        for name in ("model.txt", *blended):
            assert zf.read(name).startswith(b"tree")
    assert meta["format"] == "kehu-churn-contractual"
    assert meta["version"] == 1
    assert meta["id_column"] == "customerID"
