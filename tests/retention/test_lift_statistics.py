"""The lift, its Welch interval and p-value match hand-computed values on a tiny test.

Visits (0/1), control "No E-Mail" = [0, 1, 1, 0], arm "Mens E-Mail" = [1, 1, 1, 0, 1, 0]:

    control mean m0 = 2/4 = 0.5;   s0² = 4 · (0.5)² / 3 = 1/3
    arm mean     m1 = 4/6 = 2/3;   s1² = (4 · (1/3)² + 2 · (2/3)²) / 5 = (4/9 + 8/9) / 5 = 4/15
    lift = 2/3 − 1/2 = 1/6 = 0.166667
    se   = sqrt(s1²/6 + s0²/4) = sqrt(4/90 + 1/12) = sqrt(23/180) = 0.357460
    95 % = 1/6 ∓ 1.959964 · 0.357460 = 1/6 ∓ 0.700609 → [−0.533942, 0.867276]
    z    = 0.166667 / 0.357460 = 0.466252;  p = 2 · (1 − Φ(0.466252)) = 2 · (1 − 0.679483) = 0.641035

Spend, control [0, 20, 10, 30], arm [50, 0, 40, 30, 20]:

    m0 = 15, s0² = (225 + 25 + 25 + 225) / 3 = 500/3;  m1 = 28, s1² = (484+784+144+4+64)/4 = 370
    lift = 13;  se = sqrt(370/5 + (500/3)/4) = sqrt(74 + 41.6667) = sqrt(115.6667) = 10.754844
    95 % = 13 ∓ 21.079107 → [−8.079107, 34.079107];  z = 1.208757, p = 0.226756
"""

from __future__ import annotations

import pytest

from tests.retention.conftest import lift_json, write_csv


def _rows(control, arm, column):
    rows = [{"segment": "No E-Mail", column: v} for v in control]
    return rows + [{"segment": "Mens E-Mail", column: v} for v in arm]


def test_binary_outcome_matches_the_hand_computed_values(tmp_path):
    path = write_csv(tmp_path / "visits.csv", _rows([0, 1, 1, 0], [1, 1, 1, 0, 1, 0], "visit"))
    report = lift_json(path, arm="segment", control="No E-Mail", outcome="visit")
    assert report["outcome"] == "visit"
    assert report["control"] == {"arm": "No E-Mail", "n": 4, "mean": 0.5}
    [arm] = report["arms"]
    assert arm["arm"] == "Mens E-Mail"
    assert arm["n"] == 6
    assert arm["mean"] == pytest.approx(2 / 3, abs=1e-12)
    assert arm["lift"] == pytest.approx(1 / 6, abs=1e-12)
    assert arm["ci_low"] == pytest.approx(-0.533942, abs=1e-6)
    assert arm["ci_high"] == pytest.approx(0.867276, abs=1e-6)
    assert arm["p_value"] == pytest.approx(0.641035, abs=1e-6)


def test_numeric_outcome_matches_the_hand_computed_values(tmp_path):
    path = write_csv(tmp_path / "spend.csv", _rows([0, 20, 10, 30], [50, 0, 40, 30, 20], "spend"))
    report = lift_json(path, arm="segment", control="No E-Mail", outcome="spend")
    [arm] = report["arms"]
    assert report["control"]["mean"] == 15
    assert (arm["n"], arm["mean"], arm["lift"]) == (5, 28, 13)
    assert arm["ci_low"] == pytest.approx(-8.079107, abs=1e-6)
    assert arm["ci_high"] == pytest.approx(34.079107, abs=1e-6)
    assert arm["p_value"] == pytest.approx(0.226756, abs=1e-6)
