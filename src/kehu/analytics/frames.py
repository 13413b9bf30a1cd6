"""Reading a user's table (CSV in any of the encodings ``io.decode_text`` knows, a
spreadsheet or Parquet) for the commands that take ``--data FILE``: ``kehu churn`` and
``kehu retention lift``. Kept apart from the models so that a command that only needs the
table does not load LightGBM and scikit-learn."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pandas as pd

from kehu.analytics import io


class InputError(ValueError):
    """Bad input, described in one line."""


def read_frame(path: Path) -> tuple[pd.DataFrame, Callable[[int], str]]:
    """A CSV, spreadsheet or Parquet file as a frame, and the namer of its data rows."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in {".parquet", ".pq"}:
            frame = pd.read_parquet(path)
            where = namer("row", 1)
        elif suffix in {".xlsx", ".xlsm", ".xls"}:
            frame = pd.read_excel(path, dtype=object)
            where = namer("row", 2)
        else:
            text = io.decode_text(path.read_bytes())
            if not text.strip():
                raise InputError(f"{path}: the file is empty")
            frame = pd.read_csv(
                StringIO(text),
                sep=io.header_delimiter(text),
                dtype=str,
                keep_default_na=False,
                skipinitialspace=False,
            )
            where = namer("line", 2)
    except InputError:
        raise
    except Exception as exc:  # every reader has its own errors: one line says which file
        raise InputError(f"{path}: cannot read the file ({first_line(exc)})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError(f"{path}: no data rows")
    return frame, where


def namer(word: str, first: int) -> Callable[[int], str]:
    return lambda i: f"{word} {i + first}"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
