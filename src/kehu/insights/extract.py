"""Kehu's database → the analytics' input tables (``kehu.analytics.schema``), as Arrow.

Every table is one ORM query compiled to SQL, so table names, time zones and date truncation
come from Django on both backends. It is then read in bulk without model instances:

* PostgreSQL: ``COPY (query) TO STDOUT (FORMAT csv)`` through psycopg 3, streamed straight into
  ``pyarrow.csv`` (no Python object per value; a million orders read in seconds);
* SQLite (and anything else): a plain cursor, ``fetchmany`` in chunks, one Arrow batch each.

What goes in, as of a date:

* ``customers``: every customer not merged away, known by the date (acquired or created), with
  whether qualified and how many customers they referred (``referred_by`` relations pointing at
  them); NPS is not collected yet (null);
* ``transactions``: completed orders dated by the date (open, cancelled and returned orders are
  no revenue);
* ``service_events``: interactions (kind = channel, minutes = duration) and service tickets (kind
  ``ticket``, minutes spent), on their local calendar day;
* ``receivables``: invoices issued by the date. For an invoice not yet settled the amount is what
  is still owed (amount − paid), since the analytics count the remaining ``amount − written_off``
  of an overdue unpaid invoice as bad debt and know nothing of part payments.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from kehu.analytics import schema as S
from kehu.customers.models import Customer, Interaction, Relation
from kehu.insights.models import TICKET_KIND
from kehu.sales.models import Invoice, Order
from kehu.service.models import Ticket

CHUNK_ROWS = 50_000

# How the database hands over each Arrow type: ids as integers (cast to the schema's string ids
# afterwards), everything else as the schema says.
_WIRE = {"customer_id": pa.int64(), "order_id": pa.int64(), "invoice_id": pa.int64()}


def _local_date(field: str) -> TruncDate:
    # The local calendar day (settings.TIME_ZONE) of a timestamp: a call at 01:00 Beijing time
    # belongs to that day, not to the UTC day before.
    return TruncDate(field, output_field=DateField())


def customers_query(*, as_of: dt.date) -> QuerySet:
    referrals = (
        Relation.objects.filter(to_customer=OuterRef("pk"), kind=Relation.Kind.REFERRED_BY)
        .order_by()
        .values("to_customer")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        Customer.objects.filter(merged_into__isnull=True)
        .annotate(
            created=Coalesce("acquired_on", _local_date("created_at"), output_field=DateField()),
            refs=Coalesce(Subquery(referrals, output_field=IntegerField()), 0),
            nps_=Cast(Value(None), IntegerField()),
        )
        .filter(created__lte=as_of)
        .order_by()
        .values_list("id", "created", "is_qualified", "refs", "nps_")
    )


def transactions_query(*, as_of: dt.date) -> QuerySet:
    return (
        Order.objects.filter(
            status=Order.Status.COMPLETED,
            ordered_on__lte=as_of,
            customer__merged_into__isnull=True,
        )
        .annotate(amount_f=Cast("amount", FloatField()), cost_f=Cast("cost", FloatField()))
        .order_by()
        .values_list("customer_id", "id", "ordered_on", "amount_f", "cost_f")
    )


def interactions_query(*, as_of: dt.date) -> QuerySet:
    return (
        Interaction.objects.filter(customer__merged_into__isnull=True)
        .annotate(day=_local_date("occurred_at"), minutes=Cast("duration_minutes", FloatField()))
        .filter(day__lte=as_of)
        .order_by()
        .values_list("customer_id", "day", "channel", "minutes")
    )


def tickets_query(*, as_of: dt.date) -> QuerySet:
    return (
        Ticket.objects.filter(customer__merged_into__isnull=True)
        .annotate(
            day=_local_date("opened_at"),
            kind_=Value(TICKET_KIND, output_field=CharField()),
            minutes=Cast("minutes_spent", FloatField()),
        )
        .filter(day__lte=as_of)
        .order_by()
        .values_list("customer_id", "day", "kind_", "minutes")
    )


def receivables_query(*, as_of: dt.date) -> QuerySet:
    owed = Case(
        When(paid_on__isnull=True, then=F("amount") - F("paid_amount")),
        default=F("amount"),
    )
    return (
        Invoice.objects.filter(issued_on__lte=as_of, customer__merged_into__isnull=True)
        .annotate(owed=Cast(owed, FloatField()), off=Cast("written_off", FloatField()))
        .order_by()
        .values_list("customer_id", "id", "due_on", "paid_on", "owed", "off")
    )


# --------------------------------------------------------------------------- readers


class _CopyStream(io.RawIOBase):
    """A file over psycopg's COPY blocks, so pyarrow reads while PostgreSQL writes."""

    def __init__(self, blocks: Iterator[memoryview | bytes]):
        self._blocks = blocks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = bytes(next(self._blocks))
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _wire_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([(f.name, _WIRE.get(f.name, f.type)) for f in schema])


def _read_postgres(qs: QuerySet, schema: pa.Schema) -> pa.Table:
    sql, params = qs.query.sql_with_params()
    wire = _wire_schema(schema)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
            stream = io.BufferedReader(_CopyStream(iter(copy)), buffer_size=1 << 20)
            if not stream.peek(1):
                # No rows: pyarrow refuses an empty CSV, the pipeline wants an empty table.
                return wire.empty_table()
            return pacsv.read_csv(
                stream,
                read_options=pacsv.ReadOptions(column_names=wire.names, block_size=1 << 22),
                convert_options=pacsv.ConvertOptions(
                    column_types=wire,
                    true_values=["t", "true"],
                    false_values=["f", "false"],
                    strings_can_be_null=False,
                ),
            )


def _to_array(values: list, typ: pa.DataType) -> pa.Array:
    # SQLite hands back dates as text (from expressions) or date objects, booleans as 0/1.
    if pa.types.is_date(typ):
        text = [None if v is None else str(v)[:10] for v in values]
        return pa.array(text, pa.string()).cast(typ)
    if pa.types.is_boolean(typ):
        return pa.array([None if v is None else bool(v) for v in values], typ)
    if pa.types.is_floating(typ):
        return pa.array([None if v is None else float(v) for v in values], typ)
    return pa.array(values, typ)


def _read_cursor(qs: QuerySet, schema: pa.Schema) -> pa.Table:
    sql, params = qs.query.sql_with_params()
    wire = _wire_schema(schema)
    batches = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            columns = list(zip(*rows, strict=True))
            arrays = [_to_array(list(c), f.type) for c, f in zip(columns, wire, strict=True)]
            batches.append(pa.RecordBatch.from_arrays(arrays, schema=wire))
    return pa.Table.from_batches(batches, schema=wire)


def read_arrow(qs: QuerySet, schema: pa.Schema) -> pa.Table:
    """Run ``qs`` (a values_list in ``schema``'s column order) into an Arrow table."""
    reader = _read_postgres if connection.vendor == "postgresql" else _read_cursor
    return reader(qs, schema)


# --------------------------------------------------------------------------- tables


def extract_tables(
    *, as_of: dt.date, progress: Callable[[str], None] | None = None
) -> dict[str, pa.Table]:
    """The four input tables, conformed to ``kehu.analytics.schema``; ``progress(name)`` is
    called after each."""

    readers: dict[str, Callable[[], pa.Table]] = {
        "customers": lambda: read_arrow(customers_query(as_of=as_of), S.CUSTOMERS),
        "transactions": lambda: read_arrow(transactions_query(as_of=as_of), S.TRANSACTIONS),
        "service_events": lambda: pa.concat_tables(
            [
                read_arrow(interactions_query(as_of=as_of), S.SERVICE_EVENTS),
                read_arrow(tickets_query(as_of=as_of), S.SERVICE_EVENTS),
            ]
        ),
        "receivables": lambda: read_arrow(receivables_query(as_of=as_of), S.RECEIVABLES),
    }
    tables: dict[str, pa.Table] = {}
    for name, read in readers.items():
        tables[name] = S.conform(name, read())
        if progress is not None:
            progress(name)
    return tables
