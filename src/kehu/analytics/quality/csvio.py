"""CSV input/output for the ``kehu dedupe`` command.

Customer exports from Chinese systems come as UTF-8, UTF-8 with BOM (Excel)
or GB18030/GBK; we detect which by strict decoding rather than guessing from
a sample, because a wrong guess silently garbles names.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .prepare import INPUT_COLUMNS

__all__ = ["CsvInputError", "LoadedCsv", "detect_encoding", "read_customers_csv", "read_labels_csv"]


class CsvInputError(ValueError):
    """A problem with an input file, with the file name and line in the message."""


@dataclass
class LoadedCsv:
    frame: pa.Table  # id + known columns, all strings ("" = missing)
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


def _utf8(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    if encoding == "utf-8-sig":
        data = data[len(codecs.BOM_UTF8) :]
    elif encoding != "utf-8":
        data = data.decode(encoding).encode("utf-8")
    if not data.strip():
        raise CsvInputError(f"{path}: the file is empty")
    return data, encoding


def _records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of every record that is not blank, header excluded.

    This is the slow, exact path used only to put a line number on an error;
    ``line_num`` counts physical lines, so quoted multi-line cells are handled.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    next(reader, None)
    for fields in reader:
        if any(f.strip() for f in fields):
            yield reader.line_num, fields


def _line_of(data: bytes, row: int) -> int:
    for i, (line, _) in enumerate(_records(data)):
        if i == row:
            return line
    return -1


def _read(path: Path) -> tuple[pa.Table, bytes, str]:
    """All columns as strings, header names lower-cased; blank rows dropped.

    pyarrow's reader is multi-threaded and keeps cells as Arrow strings (no
    Python object per cell), much cheaper than pandas on a large file.  Every
    type is forced to string: ids such as "007" and postcodes keep their zeros.
    """
    data, encoding = _utf8(path)
    header_line = data.split(b"\n", 1)[0].decode("utf-8")
    header = next(csv.reader([header_line]))
    names: list[str] = []
    for raw in header:
        name = raw.strip().lower()
        while name in names:  # "Name" and "name": keep the first, rename the rest
            name += "_"
        names.append(name)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        for line, fields in _records(data):
            if len(fields) != len(names):
                raise CsvInputError(
                    f"{path}: line {line}: {len(fields)} fields, the header has {len(names)}"
                ) from exc
        raise CsvInputError(f"{path}: {exc}") from exc
    # Rows whose cells are all empty (",,,") carry nothing: drop them.
    blank = None
    for column in table.columns:
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        table = table.filter(pc.invert(blank))
    return table, data, encoding


def read_customers_csv(path: str | Path, id_column: str = "id") -> LoadedCsv:
    """Read a customer CSV; validate ids with file/line-precise messages."""
    path = Path(path)
    table, data, encoding = _read(path)
    if id_column not in table.column_names:
        raise CsvInputError(
            f"{path}: line 1 (header) has no '{id_column}' column; "
            f"found: {', '.join(table.column_names)}"
        )
    known = [c for c in INPUT_COLUMNS if c in table.column_names]
    ignored = [c for c in table.column_names if c != id_column and c not in INPUT_COLUMNS]
    ids = pc.utf8_trim_whitespace(table.column(id_column))
    table = table.select(known).add_column(0, id_column, ids)

    missing = pc.equal(ids, "")
    if pc.any(missing).as_py():
        row = int(pc.index(missing, True).as_py())
        raise CsvInputError(f"{path}: line {_line_of(data, row)}: missing '{id_column}'")
    id_values = pd.Series(ids.to_numpy(zero_copy_only=False))
    dup = id_values.duplicated(keep="first").to_numpy()
    if dup.any():
        row = int(dup.nonzero()[0][0])
        first = int((id_values == id_values[row]).to_numpy().nonzero()[0][0])
        raise CsvInputError(
            f"{path}: line {_line_of(data, row)}: duplicate '{id_column}' {id_values[row]!r} "
            f"(first used on line {_line_of(data, first)})"
        )
    return LoadedCsv(frame=table, encoding=encoding, ignored_columns=ignored)


def read_labels_csv(path: str | Path) -> pd.DataFrame:
    """Reviewed pairs: ``id_l,id_r,is_match`` (1 = same customer, 0 = different)."""
    path = Path(path)
    table, data, _ = _read(path)
    needed = ["id_l", "id_r", "is_match"]
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise CsvInputError(f"{path}: line 1 (header) lacks {', '.join(missing)}")
    frame = table.select(needed).to_pandas()
    frame = frame.apply(lambda col: col.str.strip())
    bad = ~frame["is_match"].isin(["0", "1"])
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise CsvInputError(f"{path}: line {_line_of(data, row)}: is_match must be 0 or 1")
    return frame.assign(is_match=frame["is_match"].astype(int))
