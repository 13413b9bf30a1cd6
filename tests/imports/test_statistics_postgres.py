"""A big import keeps the planner's picture of the customer table current (PostgreSQL):
without it, a table that was empty when the import began looks empty to the planner, which
then scans every stored row for each batch's look-up (autovacuum is often off or late)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehu.customers.models import Customer
from kehu.imports import pgcopy, services

pytestmark = pytest.mark.postgres


def _reltuples() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'customers_customer'::regclass")
        return float(cursor.fetchone()[0])


def _analyzes(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("ANALYZE") for q in queries.captured_queries)


@pytest.fixture
def pg(db, org):
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with connection.cursor() as cursor:  # a known starting point: the rows there are now
        cursor.execute("ANALYZE customers_customer")
    return org


def test_import_analyzes_the_table_as_it_grows(pg, customers_csv, monkeypatch):
    monkeypatch.setattr(pgcopy.TableStats, "MIN_GROWTH", 20)
    before = Customer.objects.count()
    rows = [[f"S-{i}", f"统计{i}", f"1370000{i:04d}", "", "", "", "", ""] for i in range(50)]
    job = services.job_create(user=pg.alice, kind="customers", path=customers_csv(rows))
    with CaptureQueriesContext(connection) as queries:
        services.job_run(job=job, by=pg.alice, batch_size=10)
    # After 20 new rows (the minimum), then once the import has added as many again as
    # the table held then: at 50. The planner's count is the table's, not a guess.
    assert _analyzes(queries) == 2
    assert _reltuples() == pytest.approx(before + 50, abs=0.5)


def test_small_imports_leave_statistics_alone(pg, customers_csv):
    rows = [[f"T-{i}", f"小{i}", f"1380000{i:04d}", "", "", "", "", ""] for i in range(5)]
    job = services.job_create(user=pg.alice, kind="customers", path=customers_csv(rows))
    with CaptureQueriesContext(connection) as queries:
        services.job_run(job=job, by=pg.alice)
    assert _analyzes(queries) == 0
