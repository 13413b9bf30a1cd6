"""Small public data sets the tests read, carried in the repository so every test runs
wherever it is cloned (see README.md here for where each comes from)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
CDNOW = HERE / "cdnow" / "CDNOW_sample.txt"
