"""How big an import file, its rows and its cells may be, and the checks that refuse a file
before anything of it is stored.

A file is read twice: once here, when it is uploaded (or named on the command line), to
refuse it whole with a message naming the row and column; then row by row when it runs,
where the same limits still hold (a CLI file can change between the two). Without them a
55 KB XLSX holding a 50 MB cell took 850 MB to read, a 100,000-column CSV made every page
of the job megabytes long, and an 11 MB field broke the job page for good.

XLSX is a zip: its members' declared sizes are checked before anything is unpacked, and the
shared strings (which openpyxl loads whole, even in read-only mode) are measured by a
streaming parser first, so a decompression bomb is refused without being expanded.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
# Header cells name columns: longer is a mistake (or a probe), and every page shows them.
MAX_HEADER_CHARS = 255


class FileRefused(ValueError):
    """The file breaks a limit; the message says which and where, for the user."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    columns: int
    cell_chars: int
    row_chars: int
    unpacked_bytes: int

    @classmethod
    def current(cls) -> Limits:
        return cls(
            file_bytes=getattr(settings, "KEHU_IMPORT_MAX_FILE_MB", 500) * MB,
            columns=getattr(settings, "KEHU_IMPORT_MAX_COLUMNS", 200),
            cell_chars=getattr(settings, "KEHU_IMPORT_MAX_CELL_CHARS", 32_767),
            row_chars=getattr(settings, "KEHU_IMPORT_MAX_ROW_CHARS", 100_000),
            unpacked_bytes=getattr(settings, "KEHU_IMPORT_MAX_XLSX_UNPACKED_MB", 2_000) * MB,
        )

    # --- the checks -------------------------------------------------------------------------
    def check_file(self, path: Path) -> None:
        size = path.stat().st_size
        if size > self.file_bytes:
            raise FileRefused(
                _("The file is %(size)d MB; at most %(max)d MB can be imported.")
                % {"size": size // MB, "max": self.file_bytes // MB}
            )

    def check_headers(self, headers: list[str], *, complete: bool = True) -> None:
        """``complete`` False: only the start of the header line was read, so its count of
        columns is a lower bound."""
        if len(headers) > self.columns and not complete:
            raise FileRefused(
                _("The file has more than %(max)d columns; at most %(max)d can be imported.")
                % {"max": self.columns}
            )
        if len(headers) > self.columns:
            raise FileRefused(
                _("The file has %(n)d columns; at most %(max)d can be imported.")
                % {"n": len(headers), "max": self.columns}
            )
        for index, header in enumerate(headers, start=1):
            if len(header) > MAX_HEADER_CHARS:
                raise FileRefused(
                    _("The header of column %(col)d has %(n)d characters; at most %(max)d.")
                    % {"col": index, "n": len(header), "max": MAX_HEADER_CHARS}
                )

    def check_row(self, number: int, cells: list[str]) -> None:
        """Cheap when the row is within limits (one length sum): the rows of a big import
        all pass through here."""
        if len(cells) > self.columns:
            raise FileRefused(
                _("Row %(row)d has %(n)d cells; at most %(max)d columns can be imported.")
                % {"row": number, "n": len(cells), "max": self.columns}
            )
        width = sum(map(len, cells))
        if width <= self.cell_chars:
            return
        if width > self.row_chars:
            raise FileRefused(
                _("Row %(row)d holds %(n)d characters; at most %(max)d per row.")
                % {"row": number, "n": width, "max": self.row_chars}
            )
        for index, cell in enumerate(cells, start=1):
            if len(cell) > self.cell_chars:
                raise self.cell_too_long(number, index, len(cell))

    def cell_too_long(self, row: int | None, column: int | None, n: int) -> FileRefused:
        if row is None:
            return FileRefused(
                _("A cell of the file holds %(n)d characters; at most %(max)d per cell.")
                % {"n": n, "max": self.cell_chars}
            )
        if column is None:
            return FileRefused(
                _("Row %(row)d holds a cell longer than %(max)d characters.")
                % {"row": row, "max": self.cell_chars}
            )
        return FileRefused(
            _("Row %(row)d, column %(col)d holds %(n)d characters; at most %(max)d per cell.")
            % {"row": row, "col": column, "n": n, "max": self.cell_chars}
        )

    def check_xlsx(self, path: Path) -> None:
        """Declared sizes of the zip's members, then the shared strings, streamed."""
        try:
            with zipfile.ZipFile(path) as zf:
                total = 0
                for info in zf.infolist():
                    total += info.file_size
                    if total > self.unpacked_bytes:
                        raise FileRefused(
                            _("The workbook unpacks to more than %(max)d MB.")
                            % {"max": self.unpacked_bytes // MB}
                        )
                names = set(zf.namelist())
                if "xl/sharedStrings.xml" in names:
                    with zf.open("xl/sharedStrings.xml") as fh:
                        self._check_strings(fh)
        except (zipfile.BadZipFile, expat.ExpatError, OSError, EOFError) as exc:
            raise FileRefused(_("This file can't be read as CSV or XLSX.")) from exc

    def _check_strings(self, fh) -> None:
        """Every shared string within the cell limit, measured as the XML streams by: expat
        hands text over in pieces, so a 50 MB string is never held."""
        parser = expat.ParserCreate()
        length = 0

        def start(name: str, _attrs) -> None:
            nonlocal length
            if name == "si":
                length = 0

        def text(data: str) -> None:
            nonlocal length
            length += len(data)
            if length > self.cell_chars:
                raise self.cell_too_long(None, None, length)

        parser.StartElementHandler = start
        parser.CharacterDataHandler = text
        while chunk := fh.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
