"""A year the holiday data does not cover counts weekends only and says so on stderr; the
deadline stays the last line of stdout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.service.conftest import deadline

KEHU = Path(sys.executable).with_name("kehu")


def test_year_without_data_warns_and_counts_weekends():
    # Fri 5 Feb 2027 17:00: 1 h on Friday, Monday 8 Feb 09:00 + 1 h (no 2027 schedule).
    last, err = deadline("2027-02-05 17:00", "2")
    assert last == "2027-02-08 10:00"
    assert err.startswith("warning: no official holiday schedule for 2027 (data covers 2004–2026)")


def test_span_into_a_year_without_data_warns():
    # Thu 31 Dec 2026 17:00: 1 h; Fri 1 Jan 2027 counted as a working day.
    last, err = deadline("2026-12-31 17:00", "2")
    assert last == "2027-01-01 10:00"
    assert "for 2027 " in err


def test_known_year_does_not_warn():
    assert deadline("2026-12-30 17:00", "2") == ("2026-12-31 10:00", "")


def test_command_line_prints_deadline_last_and_warning_on_stderr():
    done = subprocess.run(
        [str(KEHU), "service", "deadline", "--start", "2027-02-05 17:00", "--business-hours", "2"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "2027-02-08 10:00"
    assert done.stderr.startswith("warning: ")
