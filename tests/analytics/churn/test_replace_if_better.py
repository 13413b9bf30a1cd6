"""``replace_if_better`` refuses a model worse than its baseline or than the live model, and
``fit --only-if-better`` then leaves the live model file untouched."""

from __future__ import annotations

import json

import pandas as pd

from kehu.analytics.churn import cli
from kehu.analytics.churn.contractual import replace_if_better


def report(model_auc: float, baseline_auc: float) -> dict:
    return {"model": {"auc": model_auc}, "baseline": {"auc": baseline_auc}}


def test_worse_than_baseline_is_refused():
    decision = replace_if_better(report(0.80, 0.82))
    assert not decision.replace
    assert "baseline" in decision.reason


def test_worse_than_the_live_model_is_refused():
    decision = replace_if_better(report(0.84, 0.82), report(0.86, 0.83))
    assert not decision.replace
    assert "live model" in decision.reason


def test_better_than_both_is_accepted():
    assert replace_if_better(report(0.87, 0.82), report(0.86, 0.83)).replace


def test_only_if_better_keeps_the_live_file(fitted, tmp_path, capsys):
    live, _ = fitted
    target = tmp_path / "live.kehu"
    target.write_bytes(live.read_bytes())
    before = target.read_bytes()
    # Pure noise: no model can beat the live one on it.
    noise = pd.DataFrame({"id": range(400), "x": [i % 7 for i in range(400)]})
    noise["churn"] = ["Yes" if (i * 7919) % 3 == 0 else "No" for i in range(400)]
    data = tmp_path / "noise.csv"
    noise.to_csv(data, index=False)
    code = cli.fit_main(
        ["--data", str(data), "--label", "churn", "--id", "id", "--model", str(target)]
        + ["--only-if-better", "--json", "--n-jobs", "1"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["written"] is False
    assert target.read_bytes() == before
