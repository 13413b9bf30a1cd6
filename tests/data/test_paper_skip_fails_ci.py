"""In CI a skipped ``paper`` test is a failure; elsewhere it stays a skip; other skips are
untouched. Runs pytest on a small file with only the plugin of tests/data/require.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES = """
import pytest

@pytest.mark.paper
def test_paper_skipped():
    pytest.skip("data not found")

def test_other_skipped():
    pytest.skip("not a paper test")

@pytest.fixture
def cdnow_path():
    pytest.skip("no CDNOW sample")

def test_uses_the_data(cdnow_path):
    pass
"""


def run(tmp_path: Path, **env: str) -> str:
    (tmp_path / "test_cases.py").write_text(CASES)
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "KEHU_REQUIRE_DATA")}
    environ.update(env, PYTHONPATH=str(REPO))
    args = ["-p", "tests.data.require", "-p", "no:django", "-p", "no:xdist"]
    args += ["-p", "no:cacheprovider", "-rA", "-q", "--strict-markers", "test_cases.py"]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


@pytest.mark.parametrize("env", [{"KEHU_REQUIRE_DATA": "1"}, {"CI": "true"}])
def test_in_ci_a_skipped_paper_test_fails(tmp_path, env):
    out = run(tmp_path, **env)
    assert "FAILED test_cases.py::test_paper_skipped" in out
    assert "a paper test was skipped in CI (data not found)" in out
    # A test given the carried data through its fixture counts as a paper test too.
    assert "ERROR test_cases.py::test_uses_the_data" in out
    assert "SKIPPED [1] test_cases.py" in out  # the other skip stays a skip
    assert "not a paper test" in out


def test_outside_ci_a_skipped_paper_test_is_a_skip(tmp_path):
    out = run(tmp_path, CI="false")
    assert "FAILED" not in out and "ERROR" not in out
    assert "3 skipped" in out
