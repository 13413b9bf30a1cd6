"""Bad input to ``kehu retention lift`` ends with one clear error naming the file, column or
row, and exit code 2; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from tests.retention.conftest import lift, write_csv

KEHU = Path(sys.executable).with_name("kehu")


def _error(path: Path, *, arm="segment", control="No E-Mail", outcome="visit") -> str:
    with pytest.raises(CommandError) as excinfo:
        lift("--data", str(path), "--arm", arm, "--control", control, "--outcome", outcome)
    assert excinfo.value.returncode == 2
    message = str(excinfo.value)
    assert "\n" not in message
    return message


def _file(tmp_path, rows):
    return write_csv(tmp_path / "test.csv", rows)


ROWS = [{"segment": s, "visit": v} for s, v in [("No E-Mail", 0), ("No E-Mail", 1),
        ("Mens E-Mail", 1), ("Mens E-Mail", 1), ("Mens E-Mail", 0)]]  # fmt: skip


def test_missing_arm_column(tmp_path):
    message = _error(_file(tmp_path, ROWS), arm="group")
    assert "column 'group' (--arm) not found" in message
    assert "segment, visit" in message


def test_missing_outcome_column(tmp_path):
    assert "column 'spend' (--outcome) not found" in _error(_file(tmp_path, ROWS), outcome="spend")


def test_control_value_absent(tmp_path):
    message = _error(_file(tmp_path, ROWS), control="Control")
    assert "control value 'Control' not found in column 'segment'" in message
    assert "'Mens E-Mail', 'No E-Mail'" in message


def test_only_one_arm(tmp_path):
    rows = [r for r in ROWS if r["segment"] == "No E-Mail"]
    assert "column 'segment' has only one arm ('No E-Mail')" in _error(_file(tmp_path, rows))


def test_non_numeric_outcome_names_the_line_and_column(tmp_path):
    rows = [*ROWS[:3], {"segment": "Mens E-Mail", "visit": "maybe"}, ROWS[4]]
    message = _error(_file(tmp_path, rows))
    assert "line 5, column 'visit': 'maybe' is not a number or yes/no" in message


def test_blank_outcome_names_the_line(tmp_path):
    rows = [*ROWS[:1], {"segment": "No E-Mail", "visit": ""}, *ROWS[2:]]
    assert "line 3, column 'visit': blank" in _error(_file(tmp_path, rows))


def test_blank_arm_names_the_line(tmp_path):
    rows = [*ROWS[:2], {"segment": " ", "visit": 1}, *ROWS[3:]]
    assert "line 4, column 'segment': blank" in _error(_file(tmp_path, rows))


def test_arm_of_one_customer_has_no_variance(tmp_path):
    rows = [*ROWS, {"segment": "Womens E-Mail", "visit": 1}]
    assert "column 'segment', arm 'Womens E-Mail': each arm needs at least 2" in _error(
        _file(tmp_path, rows)
    )


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert "the file is empty" in _error(path)


def test_header_only(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("segment,visit\n")
    assert "no data rows" in _error(path)


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "nowhere.csv")


def test_unreadable_file(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"this is not parquet")
    assert "cannot read the file" in _error(path)


def test_missing_option_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        lift("--data", str(_file(tmp_path, ROWS)), "--arm", "segment")
    assert excinfo.value.returncode == 2
    assert "required: --control, --outcome" in str(excinfo.value)


def test_command_line_exit_code_and_single_error_line(tmp_path):
    path = _file(tmp_path, [*ROWS, {"segment": "Mens E-Mail", "visit": "n/a"}])
    done = subprocess.run(
        [str(KEHU), "retention", "lift", "--data", str(path), "--arm", "segment",
         "--control", "No E-Mail", "--outcome", "visit", "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"CommandError: {path}: line 7, column 'visit': 'n/a' is not a number or yes/no"
    ]
