"""CSV, XLSX and Parquet files with the same rows give the same result; a 0/1 arm column works
with ``--control 0`` in each (typed numbers in Parquet and XLSX too)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.retention.conftest import hillstrom_rows, lift_json


@pytest.fixture
def frame():
    rows = hillstrom_rows(300)
    frame = pd.DataFrame(rows)
    frame["treated"] = (frame["segment"] != "No E-Mail").astype(int)
    return frame


def _write(frame, path):
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_every_format_gives_the_same_lift(tmp_path, frame, suffix):
    reference = lift_json(
        _write(frame, tmp_path / "ref.csv"), arm="segment", control="No E-Mail", outcome="spend"
    )
    path = _write(frame, tmp_path / f"data{suffix}")
    assert lift_json(path, arm="segment", control="No E-Mail", outcome="spend") == reference


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_numeric_arm_column_with_control_zero(tmp_path, frame, suffix):
    path = _write(frame, tmp_path / f"data{suffix}")
    report = lift_json(path, arm="treated", control="0", outcome="visit")
    assert report["control"]["arm"] == "0"
    assert report["control"]["n"] == 100
    [arm] = report["arms"]
    assert (arm["arm"], arm["n"]) == ("1", 200)
    expected = frame[frame.treated == 1].visit.mean() - frame[frame.treated == 0].visit.mean()
    assert arm["lift"] == pytest.approx(expected, abs=1e-12)


def test_control_zero_matches_an_arm_written_as_0_point_0(tmp_path, frame):
    frame = frame.assign(treated=frame["treated"].astype(float))
    report = lift_json(_write(frame, tmp_path / "f.csv"), arm="treated", control="0",
                       outcome="visit")  # fmt: skip
    assert report["control"]["arm"] == "0.0"
    assert [a["arm"] for a in report["arms"]] == ["1.0"]
