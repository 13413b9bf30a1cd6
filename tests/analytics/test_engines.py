"""The same pipeline on DuckDB and Spark gives the same answers."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kehu.analytics import engines as E
from kehu.analytics import pipeline as P
from kehu.analytics.cli import pipeline_main

AS_OF = dt.date(2024, 6, 30)


def generated_tables(n: int = 150, seed: int = 11) -> dict[str, pa.Table]:
    """A small but varied data set: repeat buyers, one-timers, losses, prospects, ties."""
    rng = np.random.default_rng(seed)
    start = E.to_day("2022-01-01")
    end = E.to_day(AS_OF)
    ids = [f"c{i:03d}" for i in range(n)]
    first = rng.integers(start, end - 30, n)
    counts = rng.integers(1, 12, n)
    cust = np.repeat(np.arange(n), counts)
    day = first[cust] + (rng.random(len(cust)) * (end + 40 - first[cust])).astype(int)
    day[np.r_[0, np.cumsum(counts)[:-1]]] = first  # each customer's first purchase
    amount = np.round(rng.lognormal(4, 0.7, len(cust)), 2)
    amount[::17] = 50.0  # ties in revenue
    tx = pa.table(
        {
            "customer_id": [ids[i] for i in cust],
            "date": pa.array(day.astype(np.int32), pa.int32()).cast(pa.date32()),
            "amount": amount,
            "cost": np.round(amount * rng.uniform(0.4, 1.2, len(cust)), 2),
        }
    )
    ev_cust = rng.integers(0, n + 10, 300)  # some events for customers who never bought
    kinds = np.array(["phone", "email", "visit", "ticket", "fax"])
    ev = pa.table(
        {
            "customer_id": [f"c{i:03d}" for i in ev_cust],
            "date": pa.array(rng.integers(start, end, 300).astype(np.int32), pa.int32()).cast(
                pa.date32()
            ),
            "kind": kinds[rng.integers(0, 5, 300)],
            "minutes": np.where(rng.random(300) < 0.3, np.nan, np.round(rng.exponential(9, 300))),
        }
    )
    due = rng.integers(start, end + 60, n)
    paid = due + rng.integers(-10, 120, n)
    paid_arr = pa.array(paid.astype(np.int32), pa.int32(), mask=rng.random(n) < 0.2)
    rc = pa.table(
        {
            "customer_id": ids,
            "invoice_id": [f"i{i}" for i in range(n)],
            "due_date": pa.array(due.astype(np.int32), pa.int32()).cast(pa.date32()),
            "paid_date": paid_arr.cast(pa.date32()),
            "amount": np.round(rng.uniform(50, 500, n), 2),
            "written_off": np.where(rng.random(n) < 0.1, 20.0, 0.0),
        }
    )
    cu_ids = ids + [f"p{i}" for i in range(10)]
    m = len(cu_ids)
    cu = pa.table(
        {
            "customer_id": cu_ids,
            "created_at": pa.array(
                rng.integers(start - 200, end, m).astype(np.int32), pa.int32()
            ).cast(pa.date32()),
            "is_qualified": rng.random(m) < 0.6,
            "referrals": rng.integers(0, 3, m),
            "nps": pa.array(rng.integers(0, 11, m), mask=rng.random(m) < 0.5),
        }
    )
    return {"transactions": tx, "service_events": ev, "receivables": rc, "customers": cu}


def assert_tables_equal(a: pa.Table, b: pa.Table) -> None:
    assert a.schema == b.schema
    assert a.num_rows == b.num_rows
    for name in a.column_names:
        x, y = a[name].to_pylist(), b[name].to_pylist()
        if pa.types.is_floating(a.schema.field(name).type):
            for i, (u, v) in enumerate(zip(x, y, strict=True)):
                if u is None or v is None or (math.isnan(u) and math.isnan(v)):
                    assert (u is None) == (v is None), (name, i)
                    continue
                assert u == pytest.approx(v, rel=1e-9, abs=1e-9), (name, i, u, v)
        else:
            assert x == y, name


def assert_close(a, b, path="summary"):
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            assert_close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9, nan_ok=True), path
    else:
        assert a == b, path


@pytest.fixture(scope="module")
def duckdb_result():
    return P.run_pipeline(generated_tables(), as_of=AS_OF, engine="duckdb")


def test_generated_pipeline_is_sane(duckdb_result):
    c = duckdb_result.customers
    known = set()
    for t in generated_tables().values():
        known |= set(t["customer_id"].to_pylist())
    assert c.num_rows == len(known) > 160  # customers, prospects, ids only in service events
    assert duckdb_result.summary["clv"]["fitted"] is True
    assert duckdb_result.summary["whale"]["loss_makers"] > 0
    assert set(c["churn_type"].to_pylist()) >= {"none", "complete"}
    assert duckdb_result.cohorts.num_rows > 0


@pytest.mark.spark
def test_duckdb_and_spark_agree(duckdb_result, spark):
    with E.Engine("spark", spark_session=spark) as eng:
        spark_result = P.run_pipeline(generated_tables(), as_of=AS_OF, engine=eng)
    assert_tables_equal(duckdb_result.customers, spark_result.customers)
    assert_tables_equal(duckdb_result.whale, spark_result.whale)
    assert_tables_equal(duckdb_result.cohorts, spark_result.cohorts)
    assert_close(duckdb_result.summary, spark_result.summary)


def test_pipeline_main_writes_outputs(tmp_path, capsys):
    tables = generated_tables(n=40)
    paths = {}
    for name, table in tables.items():
        paths[name] = tmp_path / f"{name}.parquet"
        pq.write_table(table, paths[name])
    out = tmp_path / "out"
    argv = ["--transactions", str(paths["transactions"]), "--customers", str(paths["customers"])]
    argv += ["--service-events", str(paths["service_events"])]
    argv += ["--receivables", str(paths["receivables"]), "--as-of", AS_OF.isoformat()]
    assert pipeline_main([*argv, "--out", str(out), "--json", "--no-progress"]) == 0
    summary = json.loads(capsys.readouterr().out)
    known = set()
    for t in tables.values():
        known |= set(t["customer_id"].to_pylist())
    assert summary["customers"] == len(known)
    for f in ("customers.parquet", "whale.parquet", "cohorts.parquet", "summary.json"):
        assert (out / f).exists()
    customers = pq.read_table(out / "customers.parquet")
    assert customers.num_rows == len(known)
    assert json.loads((out / "summary.json").read_text())["as_of"] == AS_OF.isoformat()
