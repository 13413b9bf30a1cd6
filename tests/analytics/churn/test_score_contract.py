"""``kehu churn score`` writes ``id,churn_probability,reason_1,reason_2,reason_3``: one row per
input row, in order, and a reason for every customer whose risk is above the base rate."""

from __future__ import annotations

import zipfile

import pandas as pd

from kehu.analytics.churn import cli


def test_score_writes_one_row_per_input_row_with_reasons(fitted, telecom_new_csv, tmp_path):
    model, _ = fitted
    output = tmp_path / "scores.csv"
    code = cli.score_main(
        ["--model", str(model), "--data", str(telecom_new_csv), "--id", "customerID"]
        + ["--output", str(output), "--n-jobs", "1"]
    )
    assert code == 0
    given = pd.read_csv(telecom_new_csv, dtype=str)
    scores = pd.read_csv(output, dtype={"id": str}, keep_default_na=False)
    assert list(scores.columns) == [
        "id",
        "churn_probability",
        "reason_1",
        "reason_2",
        "reason_3",
    ]
    assert scores["id"].tolist() == given["customerID"].tolist()
    assert scores["churn_probability"].between(0, 1).all()
    with zipfile.ZipFile(model) as zf:
        import json

        base_rate = json.loads(zf.read("meta.json"))["base_rate"]
    risky = scores[scores["churn_probability"] > base_rate]
    assert len(risky) > 300
    assert (risky["reason_1"] != "").all()
    # Reasons fill from the first column: no gap before a later reason.
    assert not ((scores["reason_1"] == "") & (scores["reason_2"] != "")).any()
