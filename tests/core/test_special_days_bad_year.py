"""A bad ``--year`` is one clear error with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from tests.core.test_special_days_lunar import lines

KEHU = Path(sys.executable).with_name("kehu")


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1900", "year 1900 is outside the supported range 1901–2099"),
        ("2100", "year 2100 is outside the supported range 1901–2099"),
        ("abc", "--year 'abc': expected a four-digit year, 1901–2099"),
        ("", "expected a four-digit year"),
        ("２０２５", "expected a four-digit year"),
        ("20250", "expected a four-digit year"),
        ("-2025", "expected a four-digit year"),
    ],
)
def test_bad_year(year, message):
    with pytest.raises(CommandError) as excinfo:
        lines(year)  # type: ignore[arg-type]
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)


def test_unknown_language():
    with pytest.raises(CommandError) as excinfo:
        lines(2025, lang="fr")
    assert excinfo.value.returncode == 2
    assert "invalid choice: 'fr'" in str(excinfo.value)


def test_command_line_exit_code():
    done = subprocess.run(
        [str(KEHU), "calendar", "special-days", "--year", "1899"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "CommandError: --year '1899': year 1899 is outside the supported range 1901–2099"
    ]
