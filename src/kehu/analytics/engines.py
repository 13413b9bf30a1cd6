"""Where set-based work runs: one Ibis expression, executed by DuckDB or Spark.

``Engine("duckdb")`` (the default) is in-process and needs no extension; ``Engine("spark")``
starts (or reuses) a local SparkSession, ``local[1]`` unless told otherwise, or takes a session
you pass. The same Ibis expressions run on both, and the tests assert identical results.

To keep the two engines identical we give them only what both compute the same way: dates are
turned into integer day numbers (days since 1970-01-01) and month indices (year·12 + month − 1)
in Arrow before registration, so no SQL date function is ever needed, and every ranking is
ordered by a total order (value, then customer_id).

This module also holds the shared per-customer activity query (the BG/NBD summary rows and the
recent-window figures used by the lifecycle rules).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from kehu.analytics import schema as S

EngineName = Literal["duckdb", "spark"]

EPOCH = dt.date(1970, 1, 1)


def to_day(value: dt.date | str) -> int:
    """Day number (days since 1970-01-01) of a date or ISO date string."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - EPOCH).days


def from_day(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def _day(col: pa.ChunkedArray) -> pa.ChunkedArray:
    return col.cast(pa.int32())


def _month(col: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.add(pc.multiply(pc.year(col), 12), pc.subtract(pc.month(col), 1)).cast(pa.int32())


def prepare(tables: dict[str, pa.Table | None]) -> dict[str, pa.Table]:
    """Conform the input tables to ``schema`` and make them cheap for any engine.

    Dates become integer day numbers, and customer ids become int32 codes: the position of the
    id in the sorted list of all ids, kept as the extra table ``"customer_ids"`` (decode with
    ``decode_ids``). Grouping and joining 10M rows on int32 keys is several times faster than
    on strings, and since codes sort like the ids, "ties broken by customer_id" still holds.
    """
    unknown = set(tables) - set(S.INPUT_SCHEMAS)
    if unknown:
        raise ValueError(f"unknown table(s): {', '.join(sorted(unknown))}")
    if tables.get("transactions") is None:
        raise ValueError("the transactions table is required")
    t = {name: S.conform(name, tables.get(name)) for name in S.INPUT_SCHEMAS}
    all_ids = pa.chunked_array(
        [c for name in S.INPUT_SCHEMAS for c in t[name]["customer_id"].chunks], pa.string()
    )
    uniq = pc.unique(all_ids)
    uniq = uniq.take(pc.sort_indices(uniq))
    for name in S.INPUT_SCHEMAS:
        codes = pc.index_in(t[name]["customer_id"], value_set=uniq).cast(pa.int32())
        t[name] = t[name].set_column(0, "customer_id", codes)
    tx = t["transactions"]
    out = {
        "customer_ids": pa.table({"customer_id": uniq}),
        "transactions": pa.table(
            {
                "customer_id": tx["customer_id"],
                "day": _day(tx["date"]),
                "month": _month(tx["date"]),
                "amount": tx["amount"],
                "cost": pc.fill_null(tx["cost"], 0.0),
            }
        ),
    }
    ev = t["service_events"]
    out["service_events"] = pa.table(
        {
            "customer_id": ev["customer_id"],
            "day": _day(ev["date"]),
            "kind": ev["kind"],
            "minutes": pc.fill_null(ev["minutes"], 0.0),
        }
    )
    rc = t["receivables"]
    out["receivables"] = pa.table(
        {
            "customer_id": rc["customer_id"],
            "due_day": _day(rc["due_date"]),
            "paid_day": _day(rc["paid_date"]),
            "amount": rc["amount"],
            "written_off": pc.fill_null(rc["written_off"], 0.0),
        }
    )
    cu = t["customers"]
    out["customers"] = pa.table(
        {
            "customer_id": cu["customer_id"],
            "created_day": _day(cu["created_at"]),
            "is_qualified": pc.fill_null(cu["is_qualified"], False),
            "referrals": pc.fill_null(cu["referrals"], 0),
            "nps": cu["nps"],
        }
    )
    return out


def decode_ids(table: pa.Table, ids: pa.Table) -> pa.Table:
    """Replace the int32 ``customer_id`` codes of ``table`` by the ids (see ``prepare``)."""
    i = table.column_names.index("customer_id")
    return table.set_column(i, "customer_id", ids["customer_id"].take(table["customer_id"]))


class Engine:
    """A connection to DuckDB or Spark with the few operations the analytics need.

    Parameters
    ----------
    name: ``"duckdb"`` or ``"spark"``.
    memory_limit: DuckDB memory limit, e.g. ``"4GB"``.
    threads: DuckDB worker threads (default: DuckDB's choice).
    spark_master: master URL for a session we start ourselves.
    spark_session: an existing SparkSession to use instead (not stopped by ``close``).
    """

    _ids = itertools.count()

    def __init__(
        self,
        name: str = "duckdb",  # EngineName; anything else is refused below
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
        spark_master: str = "local[1]",
        spark_session: Any = None,
    ):
        self.name = name
        self._owns_session = False
        self._views: list[str] = []
        if name == "duckdb":
            config: dict[str, Any] = {}
            if memory_limit:
                config["memory_limit"] = memory_limit
            if threads:
                config["threads"] = threads
            self.con = ibis.duckdb.connect(**config)
        elif name == "spark":
            if spark_session is None:
                # getOrCreate may hand back a session someone else in this process started;
                # only a session this engine created is stopped by close().
                from pyspark.sql import SparkSession

                existed = SparkSession.getActiveSession() is not None
                spark_session = start_spark(spark_master)
                self._owns_session = not existed
            self.session = spark_session
            self.con = ibis.pyspark.connect(spark_session)
        else:
            raise ValueError(f"unknown engine {name!r} (duckdb or spark)")

    def _name(self, prefix: str) -> str:
        return f"kehu_{prefix}_{next(self._ids)}"

    def register(self, table: pa.Table, prefix: str = "t") -> ir.Table:
        """Make an Arrow table queryable (zero-copy on DuckDB)."""
        name = self._name(prefix)
        if self.name == "duckdb":
            self.con.con.register(name, table)
        else:
            schema = ibis.schema(table.schema)
            if table.num_rows == 0:
                df = self.session.createDataFrame([], _spark_schema(schema))
            else:
                df = self.session.createDataFrame(table.to_pandas(), _spark_schema(schema))
            df.createOrReplaceTempView(name)
        self._views.append(name)
        return self.con.table(name)

    def materialize(self, expr: ir.Table, prefix: str = "m") -> ir.Table:
        """Compute ``expr`` once and keep it, for results that several queries read."""
        name = self._name(prefix)
        if self.name == "duckdb":
            self.con.create_table(name, expr, temp=True)
        else:
            df = self.session.sql(str(self.con.compile(expr)))
            df.cache().createOrReplaceTempView(name)
        self._views.append(name)
        return self.con.table(name)

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return self.con.to_pyarrow(expr)

    def close(self) -> None:
        if self.name == "spark":
            for name in self._views:
                self.session.catalog.dropTempView(name)
            if self._owns_session:
                self.session.stop()
        else:
            self.con.disconnect()
        self._views.clear()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _spark_schema(schema):
    from ibis.backends.pyspark.datatypes import PySparkSchema

    return PySparkSchema.from_ibis(schema)


def start_spark(master: str = "local[1]"):
    """A local SparkSession configured for small, deterministic analytics jobs."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("kehu-analytics")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # Few partitions: local jobs drown in scheduling overhead with the default 200.
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.ansi.enabled", "false")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


# --------------------------------------------------------------------------- shared queries


def daily_purchases(tx: ir.Table, *, until_day: int, from_day: int | None = None) -> ir.Table:
    """One row per customer and purchase day (same-day purchases are one transaction)."""
    cond = tx.day <= until_day
    if from_day is not None:
        cond = cond & (tx.day > from_day)
    # month is a function of day: carry it as an aggregate, not as a third grouping key.
    return (
        tx.filter(cond)
        .group_by(["customer_id", "day"])
        .aggregate(month=tx.month.min(), amount=tx.amount.sum(), cost=tx.cost.sum())
    )


def customer_activity(daily: ir.Table, *, as_of_day: int, recent_days: int) -> ir.Table:
    """Per-customer purchase facts as of ``as_of_day``.

    Columns: customer_id, first_day, last_day, prev_day (the purchase day before the last, null
    for one-time buyers), n_days (distinct purchase days), revenue, cogs, first_amount (spend on
    the first purchase day), recent_amount / recent_days (in the last ``recent_days`` days) and
    baseline_amount / baseline_days (before that window).

    Plain aggregates and one join, no window functions: engines sort whole partitions for
    windows, which costs several times more on millions of rows.
    """
    recent = daily.day > as_of_day - recent_days
    zero = ibis.literal(0.0)
    facts = daily.group_by("customer_id").aggregate(
        first_day=daily.day.min(),
        last_day=daily.day.max(),
        n_days=daily.count(),
        revenue=daily.amount.sum(),
        cogs=daily.cost.sum(),
        # (customer, day) is unique in `daily`, so the arg-min is unambiguous on every engine.
        first_amount=daily.amount.argmin(daily.day),
        recent_amount=recent.ifelse(daily.amount, zero).sum(),
        recent_days=recent.ifelse(1, 0).sum(),
        baseline_amount=(~recent).ifelse(daily.amount, zero).sum(),
        baseline_days=(~recent).ifelse(1, 0).sum(),
    )
    last = facts.select("customer_id", "last_day")
    earlier = daily.join(last, "customer_id")
    earlier = earlier.filter(earlier.day < earlier.last_day)
    prev = earlier.group_by("customer_id").aggregate(prev_day=earlier.day.max())
    joined = facts.left_join(prev, "customer_id")
    return joined.drop(*[c for c in joined.columns if c.endswith("_right")])


def holdout_counts(tx: ir.Table, *, calibration_day: int, holdout_day: int) -> ir.Table:
    """Per customer, the number of purchase days in (calibration_day, holdout_day]."""
    daily = daily_purchases(tx, until_day=holdout_day, from_day=calibration_day)
    return daily.group_by("customer_id").aggregate(holdout_days=daily.day.count())
