"""``kehu analytics clv`` passes its arguments to the plain CLI: on the CDNOW sample it prints
the published BG/NBD fit (r ≈ 0.243, α ≈ 4.414, a ≈ 0.793, b ≈ 2.426)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.data import CDNOW


@pytest.mark.paper
def test_clv_on_cdnow_prints_published_parameters():
    out = io.StringIO()
    call_command(
        "analytics",
        "clv",
        "--transactions",
        str(CDNOW),
        "--format",
        "cdnow",
        "--calibration-end",
        "1997-09-30",
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    bg = report["bgnbd"]
    assert bg["r"] == pytest.approx(0.243, abs=0.001)
    assert bg["alpha"] == pytest.approx(4.414, abs=0.01)
    assert bg["a"] == pytest.approx(0.793, abs=0.005)
    assert bg["b"] == pytest.approx(2.426, abs=0.02)


def test_bad_input_is_a_command_error_with_the_exit_code(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "analytics", "clv", "--transactions", str(tmp_path / "missing.csv"), stderr=err
        )
    assert excinfo.value.returncode == 2
    assert "error" in err.getvalue()
