"""``--json`` prints exactly the contract's keys, arms sorted by name, at full precision, and
agrees with an independent Welch computation (scipy's t statistic is lift / se)."""

from __future__ import annotations

import csv
import math

import numpy as np
from scipy import stats

from tests.retention.conftest import lift_json


def test_json_shape_order_and_values(hillstrom_csv):
    report = lift_json(hillstrom_csv, arm="segment", control="No E-Mail", outcome="visit")
    assert list(report) == ["outcome", "control", "arms"]
    assert list(report["control"]) == ["arm", "n", "mean"]
    assert [a["arm"] for a in report["arms"]] == ["Mens E-Mail", "Womens E-Mail"]
    keys = ["arm", "n", "mean", "lift", "ci_low", "ci_high", "p_value"]
    assert all(list(a) == keys for a in report["arms"])

    with hillstrom_csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_arm = {
        name: np.array([float(r["visit"]) for r in rows if r["segment"] == name])
        for name in ("Mens E-Mail", "Womens E-Mail", "No E-Mail")
    }
    control = by_arm["No E-Mail"]
    assert report["control"] == {"arm": "No E-Mail", "n": 300, "mean": control.mean()}
    for arm in report["arms"]:
        treated = by_arm[arm["arm"]]
        lift = treated.mean() - control.mean()
        t = stats.ttest_ind(treated, control, equal_var=False).statistic
        se = lift / t
        assert arm["n"] == 300
        assert math.isclose(arm["lift"], lift, rel_tol=1e-12)
        assert math.isclose(arm["ci_low"], lift - 1.959963984540054 * se, rel_tol=1e-12)
        assert math.isclose(arm["ci_high"], lift + 1.959963984540054 * se, rel_tol=1e-12)
        assert math.isclose(arm["p_value"], 2 * stats.norm.sf(abs(t)), rel_tol=1e-9)
        # Full precision: not rounded to a few decimals.
        assert arm["ci_low"] != round(arm["ci_low"], 6)
