"""``kehu churn activity`` on the CDNOW file (its own format, as ``kehu analytics clv`` reads
it): one row per customer who bought on or before the calibration end, with the columns
``id,churn_probability,p_alive,expected_purchases,reason_1,reason_2,reason_3``."""

from __future__ import annotations

import pandas as pd

from kehu.analytics.churn import cli
from tests.data import CDNOW


def test_activity_on_cdnow(tmp_path):
    output = tmp_path / "activity.csv"
    code = cli.activity_main(
        ["--transactions", str(CDNOW), "--format", "cdnow"]
        + ["--calibration-end", "1997-06-30", "--horizon-end", "1997-12-31"]
        + ["--output", str(output), "--n-jobs", "1"]
    )
    assert code == 0
    scores = pd.read_csv(output, dtype={"id": str}, keep_default_na=False)
    assert list(scores.columns) == [
        "id",
        "churn_probability",
        "p_alive",
        "expected_purchases",
        "reason_1",
        "reason_2",
        "reason_3",
    ]
    raw = pd.read_csv(CDNOW, sep=r"\s+", header=None, dtype=str)
    buyers = raw.loc[raw[2] <= "19970630", 0].unique()
    assert len(scores) == len(buyers) == 2357  # every customer of the cohort started in Q1
    assert set(scores["id"]) == set(buyers)
    for column in ("churn_probability", "p_alive"):
        assert scores[column].between(0, 1).all()
    assert (scores["expected_purchases"] >= 0).all()
    # The likeliest to lapse come with a reason.
    risky = scores[scores["churn_probability"] > scores["churn_probability"].median()]
    assert (risky["reason_1"] != "").all()


def test_customers_who_start_after_the_calibration_end_are_not_scored(tmp_path):
    tx = tmp_path / "tx.csv"
    rows = ["customer_id,date,amount"]
    for c in range(60):
        for month in range(1, 13 if c % 3 else 4):
            rows.append(f"c{c},2023-{month:02d}-{(c % 27) + 1:02d},{10 + c}")
    rows.append("late,2024-02-01,99")
    tx.write_text("\n".join(rows) + "\n")
    output = tmp_path / "out.csv"
    code = cli.activity_main(
        ["--transactions", str(tx), "--calibration-end", "2023-12-31"]
        + ["--horizon-end", "2024-03-31", "--output", str(output), "--n-jobs", "1"]
    )
    assert code == 0
    scores = pd.read_csv(output, dtype={"id": str})
    assert len(scores) == 60 and "late" not in set(scores["id"])
