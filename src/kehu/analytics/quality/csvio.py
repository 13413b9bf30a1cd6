"""CSV input/output for the ``kehu dedupe`` command.

Customer exports from Chinese systems come as UTF-8, UTF-8 with BOM (Excel)
or GB18030/GBK; we detect which by strict decoding rather than guessing from
a sample, because a wrong guess silently garbles names.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .prepare import INPUT_COLUMNS

__all__ = ["CsvInputError", "LoadedCsv", "detect_encoding", "read_customers_csv", "read_labels_csv"]


class CsvInputError(ValueError):
    """A problem with an input file, with the file name and line in the message."""


@dataclass
class LoadedCsv:
    frame: pd.DataFrame  # id + known columns, all strings ("" = missing)
    encoding: str
    ignored_columns: list[str]


def detect_encoding(data: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` or ``gb18030`` (a superset of GBK/GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise CsvInputError(
            "cannot decode the file as UTF-8 or GB18030 "
            f"(byte offset {exc.start}); please save it as UTF-8"
        ) from exc


def _read(path: Path) -> tuple[pd.DataFrame, str]:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if not text.strip():
        raise CsvInputError(f"{path}: the file is empty")
    # dtype=str + no NA parsing: ids such as "007" and postcodes keep their
    # zeros, and an empty cell stays "" (treated as missing downstream).
    # Blank lines are kept as rows so that row i is always line i + 2 (header
    # is line 1) for error messages; they are dropped afterwards.
    frame = pd.read_csv(
        io.StringIO(text),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
    )
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame, encoding


def read_customers_csv(path: str | Path, id_column: str = "id") -> LoadedCsv:
    """Read a customer CSV; validate ids with file/line-precise messages."""
    path = Path(path)
    frame, encoding = _read(path)
    if id_column not in frame.columns:
        raise CsvInputError(
            f"{path}: line 1 (header) has no '{id_column}' column; found: {', '.join(frame.columns)}"
        )
    known = [c for c in INPUT_COLUMNS if c in frame.columns]
    ignored = [c for c in frame.columns if c != id_column and c not in INPUT_COLUMNS]
    frame = frame[[id_column, *known]]
    frame = frame.loc[:, ~frame.columns.duplicated()]

    ids = frame[id_column].str.strip()
    blank_row = (frame == "").all(axis=1).to_numpy()
    missing = (ids == "").to_numpy() & ~blank_row
    if missing.any():
        row = int(missing.nonzero()[0][0])
        raise CsvInputError(f"{path}: line {row + 2}: missing '{id_column}'")
    keep = ~blank_row
    kept_ids = ids[keep]
    dup = kept_ids.duplicated(keep="first")
    if dup.any():
        row = int(kept_ids.index[dup.to_numpy()][0])
        first = int(kept_ids.index[(kept_ids == kept_ids[row]).to_numpy()][0])
        raise CsvInputError(
            f"{path}: line {row + 2}: duplicate '{id_column}' {kept_ids[row]!r} "
            f"(first used on line {first + 2})"
        )
    frame = frame[keep].assign(**{id_column: kept_ids}).reset_index(drop=True)
    return LoadedCsv(frame=frame, encoding=encoding, ignored_columns=ignored)


def read_labels_csv(path: str | Path) -> pd.DataFrame:
    """Reviewed pairs: ``id_l,id_r,is_match`` (1 = same customer, 0 = different)."""
    path = Path(path)
    frame, _ = _read(path)
    needed = ["id_l", "id_r", "is_match"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise CsvInputError(f"{path}: line 1 (header) lacks {', '.join(missing)}")
    frame = frame[needed]
    frame = frame[(frame != "").any(axis=1)]
    bad = ~frame["is_match"].str.strip().isin(["0", "1"])
    if bad.any():
        row = int(frame.index[bad.to_numpy()][0])
        raise CsvInputError(f"{path}: line {row + 2}: is_match must be 0 or 1")
    return frame.assign(
        id_l=frame["id_l"].str.strip(),
        id_r=frame["id_r"].str.strip(),
        is_match=frame["is_match"].astype(int),
    ).reset_index(drop=True)
