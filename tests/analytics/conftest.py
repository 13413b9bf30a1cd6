"""Shared fixtures of the analytics tests: the CDNOW sample and one SparkSession."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.data import CDNOW


@pytest.fixture(scope="session")
def cdnow_path() -> Path:
    """The CDNOW sample, carried in tests/data: no skip path, a missing file fails."""
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
