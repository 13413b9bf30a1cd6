"""Shared fixtures of the analytics tests: the CDNOW sample and one SparkSession."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    env = os.environ.get("KEHU_SHARED_DIR")
    # shared/ sits beside the repository checkout.
    return Path(env) if env else (REPO / ".." / "shared").resolve()


CDNOW = shared_dir() / "data" / "cdnow" / "CDNOW_sample.txt"


@pytest.fixture(scope="session")
def cdnow_path() -> Path:
    if not CDNOW.exists():
        pytest.skip(f"CDNOW sample not found at {CDNOW} (set KEHU_SHARED_DIR)")
    return CDNOW


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession for the whole run: starting Spark takes seconds."""
    required = os.environ.get("KEHU_REQUIRE_SPARK") == "1"
    reason = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed"
    if reason is None and not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        reason = "Java is not installed"
    if reason:
        if required:
            pytest.fail(f"KEHU_REQUIRE_SPARK=1 but {reason}")
        pytest.skip(reason)
    from kehu.analytics.engines import start_spark

    session = start_spark("local[1]")
    yield session
    session.stop()
