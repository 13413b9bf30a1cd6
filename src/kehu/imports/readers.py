"""Reading uploaded tables: CSV in whatever encoding Chinese spreadsheets are saved in, and
XLSX. Rows are streamed so a million-row file never sits in memory. Plain Python."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kehu.imports.limits import FileRefused, Limits

SAMPLE_BYTES = 64 * 1024
CHUNK = 1 << 20


class UnreadableFile(ValueError):
    pass


def _decodes_strictly(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 — the superset of GBK/GB2312 that
    Excel on Chinese Windows writes; charset-normalizer only when both fail. Both strict
    checks read the whole file: a GBK file can look like valid UTF-8 for its first lines.

    GB18030 decodes almost any bytes, so a Big5 (Taiwan, Hong Kong) or Shift-JIS (Japan)
    file would pass as GB18030 and be stored as nonsense: its text is checked to read like
    Chinese first (see ``_reads_as_gbk``), and a file that doesn't is refused, naming the
    encoding it looks like."""
    if _decodes_strictly(path, "utf-8-sig"):
        return "utf-8-sig"
    if _decodes_strictly(path, "gb18030"):
        other = _better_reading(path)
        if other:
            raise FileRefused(_other_encoding_message(other))
        return "gb18030"
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None:
        raise UnreadableFile(path.name)
    if best.encoding.lower().replace("-", "_") in REFUSED_ENCODINGS:
        raise FileRefused(_other_encoding_message(""))
    return best.encoding


# Encodings whose files must be saved again as UTF-8: read as GB18030 they give nonsense.
REFUSED_ENCODINGS = {"big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr"}
SAMPLE_CHARS = 20_000


def _gbk_common(ch: str) -> bool:
    """In GB2312's everyday rows: CJK punctuation (0xA1), full-width forms (0xA3), hanzi
    (0xB0-0xF7) — or a traditional character, which GBK files of Hong Kong or Taiwan names
    hold, whose simplified form is there."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        from kehu.analytics.chinese import t2s

        simple = t2s(ch)
        return simple != ch and _gbk_common(simple)
    return len(code) == 2 and (code[0] in (0xA1, 0xA3) or 0xB0 <= code[0] <= 0xF7)


def _big5_common(ch: str) -> bool:
    """Big5's symbols (0xA1-0xA3) and frequently used characters (0xA4-0xC6)."""
    code = ch.encode("big5", errors="replace")
    return len(code) == 2 and 0xA1 <= code[0] <= 0xC6


def _sjis_common(ch: str) -> bool:
    """Shift-JIS symbols and kana (0x81-0x83) and JIS level-1 kanji (0x88-0x98)."""
    code = ch.encode("shift_jis", errors="replace")
    return len(code) == 2 and (0x81 <= code[0] <= 0x83 or 0x88 <= code[0] <= 0x98)


def _share(path: Path, encoding: str, common) -> float:
    sample = _non_ascii_sample(path, encoding)
    return sum(1 for ch in sample if common(ch)) / len(sample) if sample else 1.0


def _better_reading(path: Path) -> str:
    """ "Big5" or "Shift-JIS" when the file reads as that more plausibly than as GBK, else
    "". GB18030 decodes almost any bytes, so Big5 (Taiwan, Hong Kong) and Shift-JIS (Japan)
    files pass its strict check; read as GBK their text lands in kana, Cyrillic and rare
    characters, while in their own encoding it is everyday text. Each reading is scored by
    the share of its non-ASCII characters in the encoding's everyday rows."""
    gbk = _share(path, "gb18030", _gbk_common)
    if gbk >= 0.95:
        return ""
    best, label = gbk, ""
    for encoding, name, common in (
        ("big5", "Big5", _big5_common),
        ("shift_jis", "Shift-JIS", _sjis_common),
    ):
        if _decodes_strictly(path, encoding):
            score = _share(path, encoding, common)
            if score > best:
                best, label = score, name
    return label


def _non_ascii_sample(path: Path, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    found: list[str] = []
    with path.open("rb") as fh:
        while len(found) < SAMPLE_CHARS and (chunk := fh.read(CHUNK)):
            found.extend(ch for ch in decoder.decode(chunk) if ord(ch) > 0x7F)
    return "".join(found[:SAMPLE_CHARS])


def _other_encoding_message(label: str) -> str:
    from django.utils.translation import gettext as _

    if label:
        return _(
            "This file looks like %(encoding)s, which Kehu does not read: save it as "
            "UTF-8 (in Excel: Save As, “CSV UTF-8”) and upload it again."
        ) % {"encoding": label}
    return _(
        "Kehu can't tell how this file's text is encoded: save it as UTF-8 (in Excel: "
        "Save As, “CSV UTF-8”) and upload it again."
    )


def _sniff_delimiter(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Excel stores phone numbers and ids typed as numbers as floats: 13800138000.0
        return str(int(value))
    return str(value).strip()


@dataclass
class Table:
    """The header row and a factory for the data rows (lists of stripped strings)."""

    path: Path
    file_format: str
    encoding: str = ""
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as a spreadsheet shows it, header = 1; cells). Blank rows are skipped
        but still counted, so the numbers in error reports match the file. A row beyond
        the limits (kehu.imports.limits) stops the reading with FileRefused."""
        limits = Limits.current()
        check = limits.check_row
        if self.file_format == "xlsx":
            for number, cells in _xlsx_rows(self.path):
                if number > 1:
                    check(number, cells)
                    yield number, cells
            return
        # The csv module refuses a longer cell itself, before building it; what is left to
        # check per row is its width, inline: every row of a big import passes here.
        csv.field_size_limit(limits.cell_chars)
        columns, width = limits.columns, limits.cell_chars
        with self.path.open(encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            number = 1
            try:
                next(reader, None)
                for number, row in enumerate(reader, start=2):  # noqa: B007 — used below
                    cells = [cell.strip() for cell in row]
                    if any(cells):
                        if len(cells) > columns or sum(map(len, cells)) > width:
                            check(number, cells)
                        yield number, cells
            except csv.Error as exc:
                raise limits.cell_too_long(number + 1, None, limits.cell_chars + 1) from exc

    def check(self) -> None:
        """Read every row once, so a file beyond the limits is refused before it is stored.
        A CSV file is read raw: the csv module enforces the cell limit, and only rows that
        might break the others are looked at closer (a million-row file is checked in
        seconds; see bench/README.md)."""
        if self.file_format == "xlsx":
            for _row in self.rows():
                pass
            return
        limits = Limits.current()
        csv.field_size_limit(limits.cell_chars)
        columns, width = limits.columns, limits.cell_chars
        with self.path.open(encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            number = 1
            try:
                for number, row in enumerate(reader, start=1):  # noqa: B007 — used below
                    if len(row) > columns or sum(map(len, row)) > width:
                        limits.check_row(number, [cell.strip() for cell in row])
            except csv.Error as exc:
                raise limits.cell_too_long(number + 1, None, limits.cell_chars + 1) from exc

    def count_rows(self) -> int:
        """Data rows, for progress bars: a cheap pass, no validation."""
        return sum(1 for _row in self.rows())


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise UnreadableFile(path.name) from exc
    try:
        sheet = wb.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if cells or number == 1:
                yield number, cells
    finally:
        wb.close()


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return "csv"
    raise UnreadableFile(name)


def open_table(path: Path | str, *, file_format: str | None = None) -> Table:
    """The file's table, its header checked against the limits (the rows are checked as
    they are read: ``Table.check`` reads them all)."""
    path = Path(path)
    file_format = file_format or format_of(path.name)
    limits = Limits.current()
    limits.check_file(path)
    if file_format == "xlsx":
        limits.check_xlsx(path)
        first = next(_xlsx_rows(path), None)
        header = first[1] if first and first[0] == 1 else []
        limits.check_headers(header)
        return Table(path=path, file_format="xlsx", headers=_headers(header))
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(SAMPLE_BYTES)
    delimiter = _sniff_delimiter(sample)
    csv.field_size_limit(limits.cell_chars)
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise limits.cell_too_long(1, None, limits.cell_chars + 1) from exc
    # The sample can end inside a very long header line.
    limits.check_headers(header, complete=len(sample) < SAMPLE_BYTES or "\n" in sample)
    return Table(
        path=path,
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        headers=_headers(header),
    )


def _headers(raw: list[str]) -> list[str]:
    """Stripped headers; blank or repeated ones get a position suffix so they stay unique."""
    seen: set[str] = set()
    headers = []
    for index, name in enumerate(raw, start=1):
        name = (name or "").strip() or f"column {index}"
        if name in seen:
            name = f"{name} ({index})"
        seen.add(name)
        headers.append(name)
    return headers
