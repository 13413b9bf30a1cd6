"""Writes of the insights app: analytics runs (one atomic dated snapshot each) and settings.

A run goes: record the run → extract the tables (extract.py) → ``run_pipeline`` → one
transaction that writes every ``CustomerScore`` row, marks the run succeeded and, when the run is
the current snapshot, copies its figures onto the customer rows. Any exception before the
commit rolls all of that back, so the previous snapshot and the customer fields stay as they
were; the run is then marked failed with its error in a write of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import math
import traceback
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kehu.analytics import engines as E
from kehu.analytics import lifecycle as L
from kehu.analytics import pipeline as P
from kehu.analytics import value as V
from kehu.customers.models import Customer
from kehu.insights import churn, churn_rollup, cohort_rollup, extract
from kehu.insights.models import AnalyticsConfig, AnalyticsRun, CustomerScore

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

EXTRACT_STEPS = ("customers", "transactions", "service_events", "receivables")
STORE_STEPS = ("store scores", "update customers")
CHURN_STEP = "churn risk"
STEPS = (*(f"extract {s}" for s in EXTRACT_STEPS), *P.STEPS, CHURN_STEP, *STORE_STEPS)

# Above this many rows PostgreSQL gets the scores through COPY rather than INSERTs.
COPY_THRESHOLD = 5_000
BULK_BATCH = 2_000
# Points kept of the whole population's whale curve for the chart.
WHALE_POINTS = 400

# Customer fields copied from the current snapshot (the score field has the same name).
CUSTOMER_FIELDS = (
    "grade",
    "tier",
    "lifecycle_status",
    "loyalty_stage",
    "churn_type",
    "is_core",
    "profit",
    "clv",
    "p_alive",
    "churn_probability",
    "churn_band",
    "value_at_risk",
)
# Rounded to cents on the customer row (decimal columns).
MONEY_FIELDS = frozenset({"profit", "clv", "value_at_risk"})

SCORE_STRINGS = (
    "loss_reason",
    "rfm_segment",
    "grade",
    "tier",
    "churn_type",
    "lifecycle_status",
    "loyalty_stage",
    "churn_model",
    "churn_band",
)
SCORE_COLUMNS = (
    "revenue",
    "cogs",
    "cost_to_serve",
    "bad_debt",
    "profit",
    "loss_reason",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "rfm_score",
    "rfm_segment",
    "grade",
    "tier",
    "is_core",
    "frequency",
    "recency",
    "T",
    "p_alive",
    "expected_purchases",
    "expected_spend",
    "clv",
    "churn_type",
    "lifecycle_status",
    "loyalty_stage",
    "churn_model",
    "churn_probability",
    "churn_band",
    "churn_reasons",
    "value_at_risk",
    "churn_change",
)
# Columns a pipeline result may lack (a result made without churn scoring): stored empty.
OPTIONAL_COLUMNS = {
    "churn_model": pa.string(),
    "churn_probability": pa.float64(),
    "churn_band": pa.string(),
    "churn_reasons": pa.string(),
    "value_at_risk": pa.float64(),
    "churn_change": pa.float64(),
}


# A run still "running" after this long was stopped without a word (killed process, reboot).
RUN_TIMEOUT = dt.timedelta(hours=6)


class RunInProgress(Exception):
    """Another analytics run is under way; two at once would race for the customer fields."""


class RunFailed(Exception):
    """An analytics run failed; ``run`` is the failed run (its error is recorded on it)."""

    def __init__(self, run: AnalyticsRun, message: str):
        super().__init__(message)
        self.run = run


# --------------------------------------------------------------------------- settings


def pipeline_config(config: AnalyticsConfig) -> P.PipelineConfig:
    """The analytics' config objects from the settings row."""
    grade_min = (
        (config.grade_min_profit_a, config.grade_min_profit_b)
        if config.grade_min_profit_a is not None and config.grade_min_profit_b is not None
        else None
    )
    value = V.ValueConfig(
        unit_cost={str(k): float(v) for k, v in (config.unit_cost or {}).items()},
        cost_per_minute={str(k): float(v) for k, v in (config.cost_per_minute or {}).items()},
        default_unit_cost=config.default_unit_cost,
        default_cost_per_minute=config.default_cost_per_minute,
        overdue_days=config.overdue_days,
        window_days=config.window_days,
        grade_cuts=(config.grade_cut_a, config.grade_cut_b),
        grade_min_profit=grade_min,
        tier_cuts=(config.tier_cut_key, config.tier_cut_major, config.tier_cut_ordinary),
        core_top_revenue_share=config.core_top_revenue_share,
        core_min_on_time_share=config.core_min_on_time_share,
        core_max_service_ratio=config.core_max_service_ratio,
        core_min_tenure_days=config.core_min_tenure_days,
    )
    lifecycle = L.LifecycleConfig(
        churn_multiple=config.churn_multiple,
        lapse_multiple=config.lapse_multiple,
        at_risk_multiple=config.at_risk_multiple,
        min_gap_days=config.min_gap_days,
        p_alive_threshold=config.p_alive_threshold,
        recent_window_days=config.recent_window_days,
        partial_ratio=config.partial_ratio,
        new_days=config.new_days,
        won_back_days=config.won_back_days,
        client_min_purchases=config.client_min_purchases,
        client_min_tenure_days=config.client_min_tenure_days,
    )
    return P.PipelineConfig(
        value=value,
        lifecycle=lifecycle,
        clv_months=config.clv_months,
        discount_rate=config.clv_monthly_discount,
    )


@transaction.atomic
def config_update(*, by: Any, **fields: Any) -> AnalyticsConfig:
    """Change analytics settings; they apply from the next run."""
    config = AnalyticsConfig.objects.select_for_update().get(pk=AnalyticsConfig.load().pk)
    for name, value in fields.items():
        setattr(config, name, value)
    if (config.grade_min_profit_a is None) != (config.grade_min_profit_b is None):
        raise ValueError("absolute grading needs both the A and the B minimum")
    config.updated_by = by if getattr(by, "pk", None) else None
    config.full_clean()
    config.save()
    return config


# --------------------------------------------------------------------------- the run


def analytics_run(
    *,
    as_of: dt.date | None = None,
    engine: str | E.Engine = "duckdb",
    spark_master: str = "local[1]",
    trigger: str = AnalyticsRun.Trigger.COMMAND,
    by: Any = None,
    progress: Progress | None = None,
) -> AnalyticsRun:
    """Run the analytics on the database and store the snapshot; raises ``RunFailed`` (the
    run is recorded as failed) or ``RunInProgress`` (nothing recorded).

    ``engine`` is "duckdb", "spark" (a local session started and stopped for the run), or an
    ``Engine`` the caller owns (a shared SparkSession, say)."""
    as_of = as_of or timezone.localdate()
    config = AnalyticsConfig.load()
    # Check and claim under the settings row's lock, so two starts cannot both pass.
    with transaction.atomic():
        AnalyticsConfig.objects.select_for_update().filter(pk=config.pk).first()
        _check_not_running()
        run = AnalyticsRun.objects.create(
            as_of=as_of,
            started_at=timezone.now(),
            engine=engine if isinstance(engine, str) else engine.name,
            trigger=trigger,
            created_by=by if getattr(by, "pk", None) else None,
        )
    done = [0]

    def step(name: str) -> None:
        done[0] += 1
        if progress is not None:
            progress(name, done[0], len(STEPS))

    try:
        cfg = pipeline_config(config)
        run.config = _json_safe(cfg)
        tables = extract.extract_tables(as_of=as_of, progress=lambda name: step(f"extract {name}"))
        result = P.run_pipeline(
            tables,
            as_of=as_of,
            config=cfg,
            engine=engine,
            spark_master=spark_master,
            progress=lambda name, _i, _n: step(name),
        )
        result = add_churn(run=run, result=result, tables=tables, config=config, cfg=cfg)
        step(CHURN_STEP)
        store_snapshot(run=run, result=result, step=step)
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        log.exception("analytics run %s failed", run.pk)
        _mark_failed(run=run, error=message + "\n\n" + traceback.format_exc(limit=8))
        raise RunFailed(run, message) from exc
    # Outside the snapshot's transaction: a failed clean-up never undoes a good run.
    try:
        prune_snapshots(keep=config.keep_daily_snapshots)
    except Exception:
        log.exception("pruning old analytics snapshots failed")
    return run


def add_churn(
    *,
    run: AnalyticsRun,
    result: P.PipelineResult,
    tables: dict[str, pa.Table],
    config: AnalyticsConfig,
    cfg: P.PipelineConfig,
) -> P.PipelineResult:
    """The value run's result with each customer's churn risk added (kehu.insights.churn)."""
    columns, summary = churn.score_run(
        tables=tables,
        customers=result.customers,
        as_of=run.as_of,
        config=config,
        previous=churn.previous_probabilities(run.pk, run.as_of),
        unit_days=P.UNIT_DAYS[cfg.time_unit],
    )
    customers = result.customers
    for name, values in columns.items():
        array = pa.array(values, OPTIONAL_COLUMNS[name], from_pandas=True)
        customers = customers.append_column(name, array)
    return dataclasses.replace(
        result, customers=customers, summary={**result.summary, "churn": summary}
    )


def prune_snapshots(*, keep: int) -> int:
    """Delete the per-customer scores of old runs and return how many rows went.

    Kept: the newest ``keep`` succeeded runs and the last run of every month (so long-range
    trends and "a year ago" comparisons stay possible). The run rows themselves, with their
    summary, whale curve and cohorts, are never deleted. ``keep`` 0 keeps everything.
    """
    if keep <= 0:
        return 0
    runs = list(
        AnalyticsRun.objects.filter(status=AnalyticsRun.Status.SUCCEEDED)
        .order_by("-as_of", "-finished_at", "-id")
        .values_list("pk", "as_of")
    )
    kept = {pk for pk, _as_of in runs[:keep]}
    month_last: dict[tuple[int, int], int] = {}
    for pk, as_of in runs:  # newest first: the first seen in a month is its last run
        month_last.setdefault((as_of.year, as_of.month), pk)
    kept |= set(month_last.values())
    dropped = [pk for pk, _as_of in runs if pk not in kept]
    if not dropped:
        return 0
    # No signals or dependants on scores: Django deletes them with one DELETE statement.
    deleted, _per_model = CustomerScore.objects.filter(run_id__in=dropped).delete()
    return deleted


def _check_not_running() -> None:
    now = timezone.now()
    AnalyticsRun.objects.filter(
        status=AnalyticsRun.Status.RUNNING, started_at__lt=now - RUN_TIMEOUT
    ).update(
        status=AnalyticsRun.Status.FAILED,
        error=f"abandoned: no result after {RUN_TIMEOUT} (was the process stopped?)",
        finished_at=now,
    )
    busy = AnalyticsRun.objects.filter(status=AnalyticsRun.Status.RUNNING).first()
    if busy is not None:
        raise RunInProgress(f"analytics run {busy.pk} is still running (started {busy.started_at})")


def _mark_failed(*, run: AnalyticsRun, error: str) -> None:
    AnalyticsRun.objects.filter(pk=run.pk).update(
        status=AnalyticsRun.Status.FAILED, error=error[:20_000], finished_at=timezone.now()
    )
    run.refresh_from_db()


@transaction.atomic
def store_snapshot(
    *, run: AnalyticsRun, result: P.PipelineResult, step: Callable[[str], None] | None = None
) -> AnalyticsRun:
    """Write one run's scores and mark it succeeded, all or nothing."""
    step = step or (lambda _name: None)
    scores = score_table(result.customers, run_id=run.pk)
    write_scores(scores)
    # The churn report's counts, once per run, in the same all-or-nothing snapshot.
    churn_rollup.build(run)
    cohort_rollup.build(run)
    step(STORE_STEPS[0])
    run.status = AnalyticsRun.Status.SUCCEEDED
    run.customer_count = scores.num_rows
    run.summary = _json_safe({**result.summary, "timings": result.timings})
    run.whale = thin_whale(result.whale)
    run.cohorts = _json_safe(result.cohorts.to_pylist())
    run.error = ""
    run.save()  # before is_current(), which compares with the other succeeded runs
    if is_current(run):
        update_customers(run=run, scored_at=timezone.now())
    step(STORE_STEPS[1])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run


def is_current(run: AnalyticsRun) -> bool:
    """Whether ``run`` is the snapshot the product shows: the latest as-of date wins, so a
    back-dated run (history) never overwrites the customer fields."""
    newer = AnalyticsRun.objects.filter(
        status=AnalyticsRun.Status.SUCCEEDED, as_of__gt=run.as_of
    ).exclude(pk=run.pk)
    return not newer.exists()


def score_table(customers: pa.Table, *, run_id: int) -> pa.Table:
    """The pipeline's per-customer table in ``CustomerScore`` column order, ready to write:
    integer ids, empty strings for missing labels (the columns are NOT NULL)."""
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        "run_id": pa.array(np.full(customers.num_rows, run_id, dtype=np.int64)),
        "customer_id": pc.cast(customers["customer_id"], pa.int64()),
    }
    for name in SCORE_COLUMNS:
        if name not in customers.column_names:
            typ = OPTIONAL_COLUMNS[name]
            col = pa.nulls(customers.num_rows, typ)
        else:
            col = customers[name]
        if name == "churn_reasons":
            col = pc.fill_null(col, "[]")
        elif name in SCORE_STRINGS:
            col = pc.fill_null(col, "")
        elif pa.types.is_floating(col.type):
            # NaN/inf are no numbers to store: unknown becomes null.
            col = pc.if_else(pc.is_finite(col), col, pa.scalar(None, col.type))
        elif pa.types.is_boolean(col.type):
            col = pc.fill_null(col, False)
        columns[name] = col
    return pa.table(columns)


def write_scores(scores: pa.Table) -> None:
    if connection.vendor == "postgresql" and scores.num_rows >= COPY_THRESHOLD:
        _copy_scores(scores)
        # Fresh statistics now, not when autovacuum comes round: with the old ones the
        # planner takes a new run's million rows for a few hundred and picks nested loops.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {CustomerScore._meta.db_table}")
        return
    names = scores.column_names
    data = [scores[name].to_pylist() for name in names]
    reasons = names.index("churn_reasons")
    data[reasons] = [json.loads(text) for text in data[reasons]]
    batch: list[CustomerScore] = []
    for values in zip(*data, strict=True):
        batch.append(CustomerScore(**dict(zip(names, values, strict=True))))
        if len(batch) >= BULK_BATCH:
            CustomerScore.objects.bulk_create(batch)
            batch = []
    if batch:
        CustomerScore.objects.bulk_create(batch)


def _copy_scores(scores: pa.Table) -> None:
    # Arrow writes the CSV (quoting every string, so '' stays an empty string and only real
    # nulls are unquoted empty fields, which COPY reads as NULL).
    buffer = io.BytesIO()
    pacsv.write_csv(scores, buffer, write_options=pacsv.WriteOptions(include_header=False))
    table = CustomerScore._meta.db_table
    # The table's columns are named as score_table names them (field attnames).
    columns = ", ".join(connection.ops.quote_name(n) for n in scores.column_names)
    sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        view = buffer.getbuffer()
        for start in range(0, len(view), 1 << 20):
            copy.write(view[start : start + (1 << 20)])


def update_customers(*, run: AnalyticsRun, scored_at: dt.datetime) -> None:
    """Copy the run's figures onto the customer rows (not audited: derived values)."""
    # Customers in an older snapshot but not in this one (merged away since) lose the figures.
    stale = Customer.objects.filter(scored_at__isnull=False).exclude(
        Exists(CustomerScore.objects.filter(run=run, customer=OuterRef("pk")))
    )
    stale.update(
        grade="",
        tier="",
        lifecycle_status="",
        loyalty_stage="",
        churn_type="",
        is_core=False,
        profit=None,
        clv=None,
        p_alive=None,
        churn_probability=None,
        churn_band="",
        value_at_risk=None,
        scored_at=None,
    )
    if connection.vendor == "postgresql":
        _update_customers_postgres(run_id=run.pk, scored_at=scored_at)
    else:
        _update_customers_batches(run=run, scored_at=scored_at)


def _update_customers_postgres(*, run_id: int, scored_at: dt.datetime) -> None:
    customer = Customer._meta.db_table
    score = CustomerScore._meta.db_table
    sets = ", ".join(
        f"{f} = round(s.{f}::numeric, 2)" if f in MONEY_FIELDS else f"{f} = s.{f}"
        for f in CUSTOMER_FIELDS
    )
    # One statement for every customer. (PostgreSQL itself skips the index work for rows whose
    # indexed figures did not change, when the page has room for a HOT update.)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {customer} AS c SET {sets}, scored_at = %s "  # noqa: S608 (names, not data)
            f"FROM {score} AS s WHERE s.run_id = %s AND s.customer_id = c.id",
            [scored_at, run_id],
        )


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def _update_customers_batches(*, run: AnalyticsRun, scored_at: dt.datetime) -> None:
    rows = (
        CustomerScore.objects.filter(run=run)
        .order_by("customer_id")
        .values_list("customer_id", *CUSTOMER_FIELDS)
    )
    fields = [*CUSTOMER_FIELDS, "scored_at"]
    batch: list[Customer] = []
    for customer_id, *values in rows.iterator(chunk_size=BULK_BATCH):
        obj = Customer(pk=customer_id, scored_at=scored_at)
        for name, value in zip(CUSTOMER_FIELDS, values, strict=True):
            setattr(obj, name, _money(value) if name in MONEY_FIELDS else value)
        batch.append(obj)
        if len(batch) >= BULK_BATCH:
            Customer.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Customer.objects.bulk_update(batch, fields)


# --------------------------------------------------------------------------- JSON helpers


def thin_whale(whale: pa.Table, *, points: int = WHALE_POINTS) -> list[list[float]]:
    """[[customer share, cumulative % of profit], …] at most ``points`` long, first and last
    customer and the peak always included (the peak is the headline)."""
    n = whale.num_rows
    if n == 0:
        return []
    share = whale["customer_share"].to_numpy()
    pct = np.nan_to_num(whale["cumulative_profit_pct"].to_numpy(zero_copy_only=False))
    keep = set(np.linspace(0, n - 1, min(points, n)).round().astype(int).tolist())
    keep.add(int(np.argmax(pct)))
    return [[round(float(share[i]), 6), round(float(pct[i]), 3)] for i in sorted(keep)]


def _json_safe(value: Any) -> Any:
    """JSON with NaN/inf as null (PostgreSQL's jsonb refuses them) and dates as ISO text."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return _json_safe(value.item())
    return value
