"""Without ``--json`` the command prints a readable table, and says when an interval
includes zero."""

from __future__ import annotations

from tests.retention.conftest import lift, write_csv


def test_table_lists_control_and_arms(hillstrom_csv):
    text = lift("--data", str(hillstrom_csv), "--arm", "segment", "--control", "No E-Mail",
                "--outcome", "visit")  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == "Outcome: visit"
    assert lines[1].split() == ["arm", "n", "mean", "lift", "95%", "interval", "p-value"]
    assert lines[2].startswith("No E-Mail (control)")
    assert lines[3].startswith("Mens E-Mail")
    assert lines[4].startswith("Womens E-Mail")


def test_interval_including_zero_is_stated(tmp_path):
    rows = [{"arm": "A", "y": v} for v in (0, 1, 1, 0)] + [
        {"arm": "B", "y": v} for v in (1, 0, 1, 0, 1)
    ]
    text = lift("--data", str(write_csv(tmp_path / "t.csv", rows)), "--arm", "arm",
                "--control", "A", "--outcome", "y")  # fmt: skip
    assert "B: the 95% interval includes zero" in text
