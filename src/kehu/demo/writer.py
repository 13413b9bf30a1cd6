"""Writing generated column batches: PostgreSQL COPY, or ``bulk_create`` elsewhere (SQLite).

Both paths take the same ``Table`` (see ``common``) and give the same rows. Ids are assigned
here up front (after the current maximum) so that the generators can link orders to
customers and payments to invoices before anything is written; the sequences are moved past
them at the end. Bulk writes bypass the audit signals on purpose: the build records one
summary event instead of millions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from kehu.demo.common import Table

INT_TYPES = {
    "AutoField",
    "BigAutoField",
    "ForeignKey",
    "OneToOneField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}
COPY_ROWS = 200_000  # rows per CSV chunk: bounds the memory of one COPY
ORM_BATCH = 2_000


class Writer:
    """Allocates ids and writes tables; ``counts`` says how many rows went to each model."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._next: dict[type[models.Model], int] = {}
        self.postgres = connection.vendor == "postgresql"
        self._restore: list[str] = []  # statements that rebuild deferred indexes

    def alloc(self, model: type[models.Model], n: int) -> np.ndarray:
        if model not in self._next:
            top = model._default_manager.aggregate(top=Max("pk"))["top"]
            self._next[model] = (top or 0) + 1
        start = self._next[model]
        self._next[model] = start + n
        return np.arange(start, start + n, dtype=np.int64)

    def write(self, table: Table) -> None:
        n = table.n
        if n == 0:
            return
        cols = _complete(table, self.alloc)
        if self.postgres:
            _copy(table.model, cols, n)
        else:
            _bulk_create(table.model, cols, n)
        self.counts[table.model._meta.label] += n

    def defer_indexes(self, models_: Sequence[type[models.Model]]) -> None:
        """PostgreSQL, empty tables only: drop their secondary indexes and unique
        constraints now and build them again in ``restore_indexes``. Maintaining eight
        indexes row by row makes COPY into ``sales_order`` several times slower than
        building them once from the loaded table (figures: bench/README.md)."""
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    self._restore.append(
                        f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
                    )
                    cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                cursor.execute(
                    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
                    "FROM pg_index WHERE indrelid = %s::regclass AND NOT indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) "
                    "ORDER BY 1",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    self._restore.append(definition)
                    cursor.execute(f"DROP INDEX {name}")

    def restore_indexes(self) -> None:
        if not self._restore:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem TO '512MB'")
            while self._restore:
                cursor.execute(self._restore.pop(0))
            cursor.execute("RESET maintenance_work_mem")

    def finish(self) -> None:
        """Move the id sequences past the ids written (PostgreSQL; SQLite's AUTOINCREMENT
        keeps up by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _complete(table: Table, alloc) -> dict[str, Any]:
    """The table's columns plus every other column of the model, filled with its default
    (COPY sets no defaults: Django keeps them in Python, not in the database)."""
    cols = dict(table.cols)
    n = table.n
    pk = table.model._meta.pk.attname
    if pk not in cols:
        cols[pk] = alloc(table.model, n)
    if "updated_at" not in cols and "created_at" in cols:
        cols["updated_at"] = cols["created_at"]
    for field in _fields(table.model):
        if field.attname not in cols:
            default = field.get_default()
            cols[field.attname] = (
                [field.get_default() for _ in range(n)]
                if isinstance(default, list | dict)
                else [default] * n
            )
    return cols


# --- PostgreSQL: COPY … FROM STDIN (FORMAT csv) ----------------------------------------


def _arrow(field: models.Field, values: Any) -> pa.Array:
    if isinstance(values, pa.Array):
        return values
    kind = field.get_internal_type()
    if kind in INT_TYPES:
        if isinstance(values, np.ndarray):
            values = values.astype(np.int64)
            return pa.array(values, mask=values < 0) if field.null else pa.array(values)
        return pa.array(values, type=pa.int64())
    if kind == "DecimalField":  # integer hundredths → 123.45
        if isinstance(values, np.ndarray):
            return pa.array(values / 100.0)
        return pa.array([None if v is None else v / 100 for v in values], type=pa.float64())
    if kind == "DateField":
        if isinstance(values, np.ndarray):
            return pa.array(values.astype("datetime64[D]"), from_pandas=True)
        return pa.array(values, type=pa.date32())
    if kind == "DateTimeField":
        # Naive UTC: pyarrow formats zoned timestamps far slower, and the COPY session runs
        # in UTC (set in _copy), so PostgreSQL reads them as UTC.
        if isinstance(values, np.ndarray):
            return pa.array(values.astype("datetime64[s]"), from_pandas=True)
        naive = [None if v is None else v.astimezone(dt.UTC).replace(tzinfo=None) for v in values]
        return pa.array(naive, type=pa.timestamp("us"))
    if kind == "JSONField":
        return pa.array([json.dumps(v, ensure_ascii=False) for v in values], type=pa.string())
    if kind == "BooleanField":
        return pa.array(np.asarray(values, dtype=bool))
    if kind == "FloatField":
        return pa.array(np.asarray(values, dtype=float), from_pandas=True)
    return pa.array(values if isinstance(values, list) else list(values), type=pa.string())


def _copy(model: type[models.Model], cols: dict[str, Any], n: int) -> None:
    fields = _fields(model)
    table = pa.table({f.column: _arrow(f, cols[f.attname]) for f in fields})
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields if f.column)
    sql = (
        f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN (FORMAT csv)"
    )
    # "needed" quoting writes '' as "" and NULL as nothing: COPY's CSV format tells them apart.
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        with cursor.copy(sql) as copy:
            for start in range(0, n, COPY_ROWS):
                buffer = io.BytesIO()
                pacsv.write_csv(table.slice(start, COPY_ROWS), buffer, options)
                copy.write(buffer.getbuffer())


# --- elsewhere: bulk_create --------------------------------------------------------------


def _python(field: models.Field, values: Any) -> list[Any]:
    if isinstance(values, pa.Array):
        return values.to_pylist()
    kind = field.get_internal_type()
    if isinstance(values, np.ndarray):
        if kind in INT_TYPES:
            out = values.astype(np.int64).tolist()
            return [None if v < 0 else v for v in out] if field.null else out
        if kind == "DecimalField":
            return [Decimal(v).scaleb(-2) for v in values.astype(np.int64).tolist()]
        if kind == "DateTimeField":
            return [
                None if v is None else v.replace(tzinfo=dt.UTC)
                for v in values.astype("datetime64[s]").tolist()
            ]
        return values.tolist()
    if kind == "DecimalField":
        return [None if v is None else Decimal(v).scaleb(-2) for v in values]
    return list(values)


@contextlib.contextmanager
def _keep_timestamps(model: type[models.Model]) -> Iterator[None]:
    """bulk_create stamps auto_now / auto_now_add fields with the current time; the demo's
    rows carry their own history (a customer acquired two years ago was created then), so
    the flags are lifted for the duration of the insert."""
    flags = ("auto_now", "auto_now_add")
    saved = [(f, [getattr(f, a, False) for a in flags]) for f in _fields(model)]
    saved = [(f, values) for f, values in saved if any(values)]
    for f, _values in saved:
        for a in flags:
            setattr(f, a, False)
    try:
        yield
    finally:
        for f, values in saved:
            for a, value in zip(flags, values, strict=True):
                setattr(f, a, value)


def _bulk_create(model: type[models.Model], cols: dict[str, Any], n: int) -> None:
    fields = _fields(model)
    names = [f.attname for f in fields]
    columns = [_python(f, cols[f.attname]) for f in fields]
    objs = [model(**dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]
    with _keep_timestamps(model):
        model._default_manager.bulk_create(objs, batch_size=ORM_BATCH)
