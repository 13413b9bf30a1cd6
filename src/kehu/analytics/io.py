"""Reading and writing analytics tables: CSV, whitespace files (CDNOW), Parquet, Arrow.

Every value is validated: a row with an unparseable date, a non-numeric amount or a missing
customer raises :class:`DataError` naming the line, the column and the reason. Bad rows are never
skipped silently, because a silently dropped purchase changes every CLV and churn figure
downstream. All bad rows are collected, and the first ``MAX_REPORTED`` are listed in the message.
(The one exception is asked for by the caller and counted: a purchase log's rows without a
customer, see ``read_transactions``.)

Line numbers are 1-based lines of the file (the header is line 1 when there is one); for Parquet,
where there are no lines, they are 1-based row numbers. Quoted fields spanning several lines are
not supported in CSV input (line numbers would drift).

Dates may be ISO ``YYYY-MM-DD`` (a time part after it is ignored), ``YYYY/MM/DD``, compact
``YYYYMMDD``, ``2024年3月4日``, or with the year last (``25/12/2024 8:26``), day or month first
as the column's values prove (see ``_day_month_year``). Text files are decoded as UTF-8 (with
or without BOM) and, failing that, as GB18030, the superset of GBK and GB2312 that Chinese
spreadsheets export. Excel workbooks (``.xlsx``) are read as text too (``_read_xlsx``).
"""

from __future__ import annotations

import datetime as dt
import io as _io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from kehu.analytics import schema as S

MAX_REPORTED = 20

Format = Literal["csv", "parquet", "cdnow", "whitespace", "arrow", "xlsx"]


class DataError(ValueError):
    """Bad rows in an input file.

    ``line``, ``column`` and ``reason`` describe the first problem; ``errors`` holds every
    problem found as ``(line, column, reason)`` tuples, in file order.
    """

    def __init__(self, errors: list[tuple[int | None, str | None, str]], *, source: str = ""):
        errors = sorted(errors, key=lambda e: (e[0] if e[0] is not None else -1, e[1] or ""))
        self.errors = errors
        self.line, self.column, self.reason = errors[0]
        self.source = source
        shown = [_describe(*e) for e in errors[:MAX_REPORTED]]
        more = len(errors) - len(shown)
        head = f"{len(errors)} bad row value(s)" + (f" in {source}" if source else "")
        tail = f"\n  … and {more} more" if more else ""
        super().__init__(head + ":\n  " + "\n  ".join(shown) + tail)


def _describe(line: int | None, column: str | None, reason: str) -> str:
    where = f"line {line}" if line is not None else "file"
    if column:
        where += f", column {column!r}"
    return f"{where}: {reason}"


@dataclass(frozen=True, kw_only=True)
class ColumnMap:
    """Which file column holds which schema column (``None``: not in the file)."""

    customer: str = "customer_id"
    date: str = "date"
    amount: str = "amount"
    cost: str | None = None
    order: str | None = None

    def as_dict(self) -> dict[str, str]:
        pairs = {
            "customer_id": self.customer,
            "date": self.date,
            "amount": self.amount,
            "cost": self.cost,
            "order_id": self.order,
        }
        return {k: v for k, v in pairs.items() if v is not None}


# CDNOW: `master_id sample_id date number_of_cds dollar_value`, whitespace-separated, no header
# (the 2,357-customer sample); the full master file has no sample_id column, and some copies of
# it (lifetimes') a header line.
CDNOW_NAMES = ("master_id", "sample_id", "date", "number_of_cds", "dollar_value")
CDNOW_MASTER_NAMES = ("master_id", "date", "number_of_cds", "dollar_value")
CDNOW_COLUMNS = ColumnMap(customer="master_id", date="date", amount="dollar_value")


def decode_text(raw: bytes, encoding: str | None = None) -> str:
    """Decode file bytes: the given encoding, else UTF-8(-sig), else GB18030."""
    if encoding:
        return raw.decode(encoding)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # GB18030 decodes any byte string that GBK does, identically.
        return raw.decode("gb18030")


def guess_format(path: str | Path) -> Format:
    suffix = Path(path).suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    if suffix in {".arrow", ".feather", ".ipc"}:
        return "arrow"
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    return "csv"


def read_transactions(
    path: str | Path,
    *,
    format: Format | None = None,
    columns: ColumnMap | None = None,
    encoding: str | None = None,
    on_anonymous: Callable[[int], None] | None = None,
) -> pa.Table:
    """Read transactions into the ``schema.TRANSACTIONS`` shape.

    ``format="cdnow"`` reads the CDNOW whitespace file with its fixed column names (and
    ``columns`` defaults to the CDNOW mapping).

    Rows without a customer id are bad rows, unless ``on_anonymous`` is given: then they are
    left out (a shop's guest sales, which no customer's history includes) and it is called
    with their number, so that the caller says how many. Other bad rows are still refused.
    """
    fmt = format or guess_format(path)
    if columns is None:
        columns = CDNOW_COLUMNS if fmt == "cdnow" else ColumnMap()
    return read_table(
        path,
        "transactions",
        format=fmt,
        rename=columns.as_dict(),
        encoding=encoding,
        on_anonymous=on_anonymous,
    )


def read_table(
    path: str | Path,
    name: str,
    *,
    format: Format | None = None,
    rename: dict[str, str] | None = None,
    encoding: str | None = None,
    delimiter: str = ",",
    on_anonymous: Callable[[int], None] | None = None,
) -> pa.Table:
    """Read one input table (``name`` in ``schema.INPUT_SCHEMAS``) and validate every value.

    ``rename`` maps schema column -> file column for the columns whose names differ;
    ``on_anonymous`` as in ``read_transactions``.
    """
    fmt = format or guess_format(path)
    rename = dict(rename or {})
    if fmt in {"cdnow", "whitespace"}:
        raw, line_of_row = _read_whitespace(Path(path), encoding, cdnow=fmt == "cdnow")
    elif fmt == "csv":
        raw, line_of_row = _read_csv(Path(path), encoding, delimiter)
    elif fmt == "parquet":
        raw, line_of_row = pq.read_table(path), None
    elif fmt == "arrow":
        import pyarrow.feather as feather

        raw, line_of_row = feather.read_table(path), None
    elif fmt == "xlsx":
        raw, line_of_row = _read_xlsx(Path(path)), _from_line(2)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    if on_anonymous is not None:
        raw, line_of_row, dropped = _drop_anonymous(
            raw, rename.get("customer_id", "customer_id"), line_of_row
        )
        if dropped:
            on_anonymous(dropped)
    return validate(raw, name, rename=rename, line_of_row=line_of_row, source=str(path))


def _from_line(first: int):
    return lambda idx: [int(i) + first for i in idx]


def _drop_anonymous(raw, column: str, line_of_row):
    """``raw`` without its rows whose ``column`` is blank, the line numbers of the rest."""
    table = raw.table if isinstance(raw, _CsvRead) else raw
    if column not in table.column_names:
        return raw, line_of_row, 0  # validate names the missing column
    values = table.column(column)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        blank = pc.equal(pc.utf8_trim_whitespace(values), "")
        keep = pc.invert(pc.fill_null(pc.or_(pc.is_null(values), blank), True))
    else:
        keep = pc.is_valid(values)
    kept = pc.indices_nonzero(keep).to_numpy()
    dropped = table.num_rows - len(kept)
    if not dropped:
        return raw, line_of_row, 0
    table = table.take(pa.array(kept))
    base = line_of_row or _from_line(1)

    def lines(idx):
        return base([kept[int(i)] for i in idx])

    if isinstance(raw, _CsvRead):
        return _CsvRead(table, raw.row_errors), lines, dropped
    return table, lines, dropped


def _read_xlsx(path: Path) -> pa.Table:
    """A workbook's rows as text; sheets with the first sheet's header are one table.

    A purchase log kept a year per sheet is common (and the UCI "Online Retail II" workbook
    is one): stacking only identical headers never mixes up columns. Dates the spreadsheet
    typed as dates become ISO text, so they parse like a CSV's.
    """
    import pandas as pd

    sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    frames = [f for f in sheets.values() if len(f.columns)]
    if not frames:
        raise ValueError("the workbook has no sheet with a header row")
    header = [str(c).strip() for c in frames[0].columns]
    same = [f for f in frames if [str(c).strip() for c in f.columns] == header]
    columns = {}
    for i, name in enumerate(header):
        cells = pd.concat([f.iloc[:, i] for f in same], ignore_index=True)
        empty = cells.isna().to_numpy()
        text = [None if e else _cell_text(v) for v, e in zip(cells.tolist(), empty, strict=True)]
        columns[name] = pa.array(text, pa.string())
    return pa.table(columns)


def _cell_text(value: object) -> str:
    """A filled cell as the text a CSV export of it would hold."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number: 17850, not 17850.0
    return str(value)


def validate(
    raw: pa.Table,
    name: str,
    *,
    rename: dict[str, str] | None = None,
    line_of_row=None,
    source: str = "",
) -> pa.Table:
    """Parse and check ``raw`` (strings or typed columns) into input schema ``name``.

    ``line_of_row(indices)`` maps 0-based row indices to file line numbers; without it rows are
    numbered from 1.
    """
    target = S.INPUT_SCHEMAS[name]
    rename = dict(rename or {})
    errors: list[tuple[int | None, str | None, str]] = []
    if isinstance(raw, _CsvRead):
        errors.extend(raw.row_errors)
        raw = raw.table
    if line_of_row is None:

        def line_of_row(idx):
            return [int(i) + 1 for i in idx]

    arrays = []
    for field in target:
        src = rename.get(field.name, field.name)
        if src not in raw.column_names:
            if field.name in S.REQUIRED[name]:
                errors.append((None, src, f"required column missing (have: {raw.column_names})"))
            arrays.append(pa.nulls(raw.num_rows, field.type))
            continue
        col = raw.column(src).combine_chunks()
        parsed, bad, reason = _parse(col, field.type)
        for kind, mask in (("bad", bad), ("missing", None)):
            if kind == "missing":
                if field.name not in S.REQUIRED[name]:
                    continue
                mask = pc.and_(pc.is_null(parsed), pc.invert(bad) if bad is not None else True)
                why = "missing value"
            else:
                why = reason
            if mask is None:
                continue
            idx = pc.indices_nonzero(pc.fill_null(mask, False)).to_numpy()
            if len(idx):
                shown = idx[: MAX_REPORTED * 5]
                values = col.take(pa.array(shown)).to_pylist()
                for line, value in zip(line_of_row(shown), values, strict=True):
                    text = why if kind == "missing" else f"{why}: {value!r}"
                    errors.append((line, src, text))
                errors.extend((None, src, why) for _ in range(len(idx) - len(shown)))
        arrays.append(parsed)
    if errors:
        raise DataError(errors, source=source)
    return pa.Table.from_arrays(arrays, schema=target)


_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
_INTEGER = r"^[-+]?\d+$"
_TRUE = ["true", "t", "yes", "y", "1"]
_FALSE = ["false", "f", "no", "n", "0"]


def _parse(col: pa.Array, typ: pa.DataType) -> tuple[pa.Array, pa.Array | None, str]:
    """Parse one column; returns (values, mask of bad non-empty values or None, reason)."""
    if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
        # Typed input (Parquet/Arrow): trust the type, cast to the target.
        if pa.types.is_timestamp(col.type) and pa.types.is_date(typ):
            col = col.cast(pa.timestamp("s"), safe=False)
        if pa.types.is_string(typ):
            return col.cast(pa.string()), None, ""
        try:
            return col.cast(typ), None, ""
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise DataError([(None, None, f"cannot use {col.type} as {typ}: {exc}")]) from exc
    text = pc.utf8_trim_whitespace(col)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    present = pc.is_valid(text)
    if pa.types.is_string(typ):
        return text, None, ""
    if pa.types.is_floating(typ) or pa.types.is_integer(typ):
        pattern = _NUMBER if pa.types.is_floating(typ) else _INTEGER
        ok = pc.match_substring_regex(text, pattern)
        bad = pc.and_(present, pc.invert(pc.fill_null(ok, False)))
        clean = pc.if_else(bad, pa.scalar(None, pa.string()), text)
        kind = "a number" if pa.types.is_floating(typ) else "an integer"
        return clean.cast(typ), bad, f"not {kind}"
    if pa.types.is_boolean(typ):
        low = pc.utf8_lower(text)
        is_true = pc.is_in(low, pa.array(_TRUE))
        is_false = pc.is_in(low, pa.array(_FALSE))
        bad = pc.and_(present, pc.invert(pc.or_(is_true, is_false)))
        value = pc.if_else(present, is_true, pa.scalar(None, pa.bool_()))
        value = pc.if_else(bad, pa.scalar(None, pa.bool_()), value)
        return value, bad, "not a boolean (true/false/yes/no/1/0)"
    if pa.types.is_date(typ):
        return _parse_dates(text, present)
    raise TypeError(f"no parser for {typ}")


_DATE = r"^(?P<y>\d{4})[-/.年]?(?P<m>\d{1,2})[-/.月]?(?P<d>\d{1,2})日?(?:[T ].*)?$"
_YEAR_FIRST = r"^(\d{8}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([T ].*)?|\d{4}年\d{1,2}月\d{1,2}日.*)$"
# 25/12/2024 or 12/25/2024, with or without a time after it (spreadsheets' exports).
_YEAR_LAST = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})(?:[T ].*)?$"
_NOT_A_DATE = "not a date (expected YYYY-MM-DD, YYYYMMDD, 2024年3月4日 or DD/MM/YYYY, MM/DD/YYYY)"


def _parse_dates(text: pa.Array, present: pa.Array) -> tuple[pa.Array, pa.Array, str]:
    null = pa.scalar(None, pa.string())
    # Compact dates have no separators; the shape test requires 8 digits then (\d{4}\d{2}\d{2}),
    # since greedy m/d groups take two digits each.
    year_first = pc.fill_null(pc.match_substring_regex(text, _YEAR_FIRST), False)
    parts = pc.extract_regex(pc.if_else(year_first, text, null), _DATE)
    # Rows that failed the shape test are null structs whose fields hold "": null them too.
    y, m, d = (pc.if_else(year_first, parts.field(k), null) for k in ("y", "m", "d"))
    reason = _NOT_A_DATE
    year_last = pc.fill_null(pc.match_substring_regex(text, _YEAR_LAST), False)
    if pc.any(year_last).as_py():
        y, m, d, reason = _day_month_year(text, year_last, y, m, d)
    joined = pc.binary_join_element_wise(y, m, d, "-")
    ts = pc.strptime(joined, format="%Y-%m-%d", unit="s", error_is_null=True)
    # Arrow's strptime rolls 2024-02-31 over to 2024-03-02: check the fields round-trip.
    same = pc.and_(
        pc.equal(pc.month(ts), m.cast(pa.int64())), pc.equal(pc.day(ts), d.cast(pa.int64()))
    )
    ts = pc.if_else(pc.fill_null(same, False), ts, pa.scalar(None, pa.timestamp("s")))
    bad = pc.and_(present, pc.is_null(ts))
    return ts.cast(pa.date32()), bad, reason


def _day_month_year(text: pa.Array, rows: pa.Array, y, m, d):
    """Dates with the year last: the column's own values decide day/month order.

    A value whose first number is above 12 can only be day-first (25/12/2024), one whose second
    is above 12 only month-first (12/25/2024); the column is read in the order its values
    prove, as a person reading it would. A column with no such value, or with both, cannot be
    read without guessing: its year-last values are refused, saying why.
    """
    null = pa.scalar(None, pa.string())
    parts = pc.extract_regex(pc.if_else(rows, text, null), _YEAR_LAST)
    a, b, year = (pc.if_else(rows, parts.field(k), null) for k in ("a", "b", "y"))
    day_first = pc.any(pc.greater(a.cast(pa.int64()), 12)).as_py()
    month_first = pc.any(pc.greater(b.cast(pa.int64()), 12)).as_py()
    if day_first == month_first:
        why = "both orders occur" if day_first else "no day above 12 tells which is which"
        return y, m, d, f"{_NOT_A_DATE}; day/month order unclear: {why}"
    day, month = (a, b) if day_first else (b, a)
    return (
        pc.if_else(rows, year, y),
        pc.if_else(rows, month, m),
        pc.if_else(rows, day, d),
        _NOT_A_DATE,
    )


@dataclass
class _CsvRead:
    table: pa.Table
    row_errors: list[tuple[int | None, str | None, str]]

    @property
    def num_rows(self) -> int:
        return self.table.num_rows


def _blank_aware_lines(text: str, *, header: bool, skip: set[int]):
    """A row-index -> line-number mapper that accounts for skipped blank lines.

    Only built when there are errors to report, since it scans the whole text.
    """

    def mapper(idx):
        starts = []
        for lineno, line in enumerate(text.splitlines(), start=1):
            # Arrow skips blank lines and the malformed rows we told it to skip.
            if line.strip() and lineno not in skip:
                starts.append(lineno)
        offset = 1 if header else 0
        return [starts[int(i) + offset] for i in idx]

    return mapper


def _read_csv(path: Path, encoding: str | None, delimiter: str):
    text = decode_text(path.read_bytes(), encoding)
    return _parse_delimited(text, delimiter=header_delimiter(text, delimiter), names=None)


def header_delimiter(text: str, default: str = ",") -> str:
    """The header's separator: ``default`` unless the header has none of it but a semicolon
    (a European spreadsheet's "CSV"), a tab or a bar."""
    header = text[: text.find("\n")] if "\n" in text else text
    if default in header:
        return default
    return next((d for d in (";", "\t", "|") if d in header), default)


def _read_whitespace(path: Path, encoding: str | None, *, cdnow: bool):
    text = decode_text(path.read_bytes(), encoding)
    # Collapse runs of blanks into one tab so Arrow's CSV reader can take the file; line count
    # and order are unchanged, so line numbers stay right.
    text = re.sub(r"[ \t]+", "\t", re.sub(r"(?m)^[ \t]+|[ \t]+$", "", text))
    names = None
    if cdnow:
        text, names = _cdnow_layout(text)
    return _parse_delimited(text, delimiter="\t", names=names)


def _cdnow_layout(text: str) -> tuple[str, tuple[str, ...]]:
    """The CDNOW file's columns (the sample's five or the master's four, by its first data
    line) and its text with a header line, if any, blanked (so line numbers stay right)."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return text, CDNOW_NAMES
    if not re.fullmatch(r"[-+.\d\t\r]+", lines[first]):
        lines[first] = ""  # a header: the columns are known by position
        text = "\n".join(lines)
    data = next((line for line in lines if line.strip()), "")
    fields = len(data.rstrip("\r").split("\t"))
    return text, CDNOW_MASTER_NAMES if fields == len(CDNOW_MASTER_NAMES) else CDNOW_NAMES


def _parse_delimited(text: str, *, delimiter: str, names):
    bad_rows: list[tuple[str, int, int]] = []
    header = names is None

    def on_invalid(row):
        # Arrow numbers rows from 1 including the header, as lines are: its number is the line.
        # Arrow does not give the line number here; keep the text and find the line below.
        bad_rows.append((row.text, row.expected_columns, row.actual_columns))
        return "skip"

    read = pacsv.ReadOptions(
        column_names=list(names) if names else None,
        autogenerate_column_names=False,
        block_size=1 << 24,
    )
    parse = pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid)
    # Everything as text: we parse ourselves to report bad values with their line.
    data = text.encode("utf-8")
    first = pacsv.open_csv(_io.BytesIO(data), read_options=read, parse_options=parse)
    column_names = first.schema.names
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(column_names, pa.string()))
    bad_rows.clear()
    table = pacsv.read_csv(
        _io.BytesIO(data), read_options=read, parse_options=parse, convert_options=convert
    )
    row_errors: list[tuple[int | None, str | None, str]] = []
    skipped: set[int] = set()
    if bad_rows:
        pending = iter(bad_rows)
        want: tuple[str, int, int] | None = next(pending)
        for lineno, line in enumerate(text.splitlines(), start=1):
            if want is not None and line.rstrip("\r") == want[0]:
                row_errors.append((lineno, None, f"expected {want[1]} columns, got {want[2]}"))
                skipped.add(lineno)
                want = next(pending, None)
    return _CsvRead(table, row_errors), _blank_aware_lines(text, header=header, skip=skipped)


def write_table(table: pa.Table, path: str | Path) -> Path:
    """Write ``table`` as Parquet, Arrow IPC or CSV, chosen by the file extension."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = guess_format(path)
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "arrow":
        import pyarrow.feather as feather

        feather.write_feather(table, path)
    else:
        pacsv.write_csv(table, path)
    return path
