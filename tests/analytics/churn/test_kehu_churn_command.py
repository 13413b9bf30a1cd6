"""``kehu churn …`` is the Django command delegating to the plain CLI: the same contracts
through ``call_command``, and bad input in a real process gives one error line, exit code 2,
no traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from django.core.management import CommandError, call_command


def test_fit_and_score_through_the_command(telecom_csv, telecom_new_csv, tmp_path):
    model, output = tmp_path / "m.kehu", tmp_path / "scores.csv"
    out = io.StringIO()
    call_command(
        "churn",
        "fit",
        *("--data", str(telecom_csv), "--label", "Churn", "--id", "customerID"),
        *("--model", str(model), "--json", "--n-jobs", "1"),
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["model"]["auc"] > 0.8 and report["baseline"]["auc"] > 0.8
    call_command(
        "churn",
        "score",
        *("--model", str(model), "--data", str(telecom_new_csv), "--id", "customerID"),
        *("--output", str(output), "--n-jobs", "1"),
    )
    assert len(pd.read_csv(output)) == 3000


def test_bad_input_is_a_command_error_with_exit_code_2(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("id,x,churn\n1,2,yes\n")
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "churn",
            "fit",
            *("--data", str(data), "--label", "left", "--id", "id", "--model", str(tmp_path / "m")),
        )
    assert excinfo.value.returncode == 2
    assert "column 'left' (--label) not found" in str(excinfo.value)


def test_bad_input_in_a_real_process(tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("id,x,churn\n1,2,no\n2,3,no\n")
    model = tmp_path / "m"
    proc = subprocess.run(
        [sys.executable, "-m", "kehu.cli", "churn", "fit", "--data", str(data)]
        + ["--label", "churn", "--id", "id", "--model", str(model)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "'churn' has only one class" in lines[0]
    assert "Traceback" not in proc.stderr
    assert not model.exists()
