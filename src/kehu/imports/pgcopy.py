"""PostgreSQL COPY for the bulk path: values in COPY's text format, a COPY from text or
rows, and the planner statistics an import keeps current while it fills a table."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import connection

_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# str.translate costs ~1 µs even when nothing changes; a search finds the rare value that
# needs escaping several times faster.
NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")


# The search-key columns key_rows writes, in order.
KEY_COLUMNS = ["customer_id", "team_id", "key"]


def key_rows(pk: int, keys: str, team_id: int | None = None) -> str:
    """COPY rows (customer id, team id, key) from the newline-joined keys of one customer
    (the team on every key: SearchKey.team_id)."""
    prefix = f"{pk}\t{copy_text(team_id)}\t"
    return prefix + keys.replace("\n", "\n" + prefix) + "\n"


def copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if type(value) is str:  # most values: the one check worth doing first
        return value.translate(_ESCAPE) if NEEDS_ESCAPE.search(value) else value
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return str(value).translate(_ESCAPE)


def copy_sql(table: str, columns: list[str]) -> str:
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608 (our own names)


def copy_text_into(table: str, columns: list[str], text: str) -> None:
    if not text:
        return
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql(table, columns)) as copy:
        copy.write(text)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql(table, columns)) as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    if is_postgres():
        _copy(model._meta.db_table, [model._meta.get_field(c).column for c in columns], rows)
    else:
        model.objects.bulk_create(
            [model(**dict(zip(columns, r, strict=True))) for r in rows], batch_size=2000
        )


class TableStats:
    """Keeps the planner's row count for a table that an import is filling close to the
    truth. Autovacuum analyzes a table only after it has been written for a while; until
    then a table that was empty when the import began looks empty to the planner, which
    then answers each batch's look-up by scanning every row it has stored so far —
    quadratic in the size of the file (measured: 0.4 s a look-up at 1M rows). So: ANALYZE
    whenever the import has grown the table by as much again as it held at the last count
    (10, 20, 40 … thousand rows: a handful of samples of 30,000 rows each)."""

    MIN_GROWTH = 10_000

    def __init__(self, table: str):
        self.table = table
        self.counted: float | None = None
        self.grown = 0

    def added(self, rows: int) -> None:
        if self.counted is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self.table]
                )
                self.counted = max(float(cursor.fetchone()[0]), 0.0)
        self.grown += rows
        if self.grown >= max(self.MIN_GROWTH, self.counted):
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(self.table)}")
            self.counted += self.grown
            self.grown = 0
