"""The analytics tables: what goes in and what comes out.

These constants are the contract with the Django-side extractor, which produces exactly these
tables (as Arrow). Dates are plain calendar dates (no time zone): the analytics work in days.

Input tables (all optional except ``transactions``; a missing optional table counts as empty):

``customers``       customer_id, created_at, is_qualified, referrals, nps
``transactions``    customer_id, order_id, date, amount, cost
``service_events``  customer_id, date, kind, minutes
``receivables``     customer_id, invoice_id, due_date, paid_date, amount, written_off

``REQUIRED`` lists, per table, the columns that must be present and non-null; the other columns
may be absent (filled with nulls) and nulls get documented defaults (cost 0, minutes 0, …).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

CUSTOMERS = pa.schema(
    [
        ("customer_id", pa.string()),
        ("created_at", pa.date32()),
        ("is_qualified", pa.bool_()),
        ("referrals", pa.int64()),
        ("nps", pa.int64()),
    ]
)

TRANSACTIONS = pa.schema(
    [
        ("customer_id", pa.string()),
        ("order_id", pa.string()),
        ("date", pa.date32()),
        ("amount", pa.float64()),
        ("cost", pa.float64()),
    ]
)

SERVICE_EVENTS = pa.schema(
    [
        ("customer_id", pa.string()),
        ("date", pa.date32()),
        ("kind", pa.string()),
        ("minutes", pa.float64()),
    ]
)

RECEIVABLES = pa.schema(
    [
        ("customer_id", pa.string()),
        ("invoice_id", pa.string()),
        ("due_date", pa.date32()),
        ("paid_date", pa.date32()),
        ("amount", pa.float64()),
        ("written_off", pa.float64()),
    ]
)

INPUT_SCHEMAS: dict[str, pa.Schema] = {
    "customers": CUSTOMERS,
    "transactions": TRANSACTIONS,
    "service_events": SERVICE_EVENTS,
    "receivables": RECEIVABLES,
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "transactions": ("customer_id", "date", "amount"),
    "service_events": ("customer_id", "date", "kind"),
    "receivables": ("customer_id", "due_date", "amount"),
}

# One row per customer, the pipeline's main output.
CUSTOMER_SCORES = pa.schema(
    [
        ("customer_id", pa.string()),
        ("revenue", pa.float64()),
        ("cogs", pa.float64()),
        ("cost_to_serve", pa.float64()),
        ("bad_debt", pa.float64()),
        ("profit", pa.float64()),
        ("loss_reason", pa.string()),
        ("rfm_r", pa.int64()),
        ("rfm_f", pa.int64()),
        ("rfm_m", pa.int64()),
        ("rfm_score", pa.int64()),
        ("rfm_segment", pa.string()),
        ("grade", pa.string()),
        ("tier", pa.string()),
        ("is_core", pa.bool_()),
        ("frequency", pa.int64()),
        ("recency", pa.float64()),
        ("T", pa.float64()),
        ("p_alive", pa.float64()),
        ("expected_purchases", pa.float64()),
        ("expected_spend", pa.float64()),
        ("clv", pa.float64()),
        ("churn_type", pa.string()),
        ("lifecycle_status", pa.string()),
        ("loyalty_stage", pa.string()),
    ]
)

WHALE = pa.schema(
    [
        ("rank", pa.int64()),
        ("customer_id", pa.string()),
        ("profit", pa.float64()),
        ("customer_share", pa.float64()),
        ("cumulative_profit", pa.float64()),
        ("cumulative_profit_pct", pa.float64()),
    ]
)

COHORTS = pa.schema(
    [
        ("cohort", pa.string()),
        ("period", pa.int64()),
        ("cohort_size", pa.int64()),
        ("active", pa.int64()),
        ("share", pa.float64()),
    ]
)

# The per-customer scores written by ``kehu analytics clv --scores-out``.
CLV_SCORES = pa.schema(
    [
        ("customer_id", pa.string()),
        ("frequency", pa.int64()),
        ("recency", pa.float64()),
        ("T", pa.float64()),
        ("p_alive", pa.float64()),
        ("expected_purchases", pa.float64()),
        ("expected_spend", pa.float64()),
        ("clv", pa.float64()),
    ]
)


def empty(name: str) -> pa.Table:
    """An empty input table with the schema of ``name``."""
    return INPUT_SCHEMAS[name].empty_table()


def conform(name: str, table: pa.Table | None) -> pa.Table:
    """Select, order and cast ``table``'s columns to the input schema ``name``.

    Absent optional columns become nulls; absent required columns raise ``ValueError``. Casting
    is Arrow's safe cast, so an int customer id becomes its decimal string and a timestamp
    becomes its date.
    """
    schema = INPUT_SCHEMAS[name]
    if table is None:
        return schema.empty_table()
    missing = [c for c in REQUIRED[name] if c not in table.column_names]
    if missing:
        raise ValueError(f"table {name!r} lacks required column(s): {', '.join(missing)}")
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            col = table.column(field.name)
            if pa.types.is_timestamp(col.type) and pa.types.is_date(field.type):
                # Arrow refuses timestamp->date32 as a safe cast when there is a time part.
                col = col.cast(pa.timestamp("s"), safe=False).cast(field.type, safe=False)
            col = col.cast(field.type)
            if pa.types.is_floating(field.type):
                # NaN means "missing" here, as in pandas; engines disagree on NaN arithmetic.
                col = pc.if_else(pc.is_nan(col), pa.scalar(None, field.type), col)
            if field.name in REQUIRED[name] and col.null_count:
                first = pc.index(pc.is_null(col), True).as_py()
                raise ValueError(
                    f"table {name!r}: {col.null_count} missing value(s) in required column "
                    f"{field.name!r} (first at row {first + 1})"
                )
            arrays.append(col)
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
