"""The same snapshot on Spark as on DuckDB: the extracted tables run unchanged on both."""

from __future__ import annotations

import os
import shutil

import pytest

from kehu.insights import services
from kehu.insights.models import CustomerScore

from .conftest import AS_OF, EXPECTED_PROFIT

pytestmark = [pytest.mark.django_db, pytest.mark.spark, pytest.mark.slow]


@pytest.fixture
def spark_engine():
    reason = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        reason = "pyspark is not installed"
    if reason is None and not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        reason = "Java is not installed"
    if reason:
        if os.environ.get("KEHU_REQUIRE_SPARK") == "1":
            pytest.fail(f"KEHU_REQUIRE_SPARK=1 but {reason}")
        pytest.skip(reason)
    from kehu.analytics.engines import Engine, start_spark

    # A session we pass in is not stopped by the run: another test's session stays usable.
    engine = Engine("spark", spark_session=start_spark("local[1]"))
    yield engine
    engine.close()


def test_spark_run_matches_duckdb(shop, spark_engine):
    duck = services.analytics_run(as_of=AS_OF)
    spark = services.analytics_run(as_of=AS_OF, engine=spark_engine)
    assert spark.engine == "spark"

    def scores(run):
        return {
            s["customer_id"]: s
            for s in CustomerScore.objects.filter(run=run).values(
                "customer_id", "profit", "grade", "tier", "lifecycle_status", "loyalty_stage"
            )
        }

    a, b = scores(duck), scores(spark)
    assert a.keys() == b.keys()
    for customer_id, row in a.items():
        other = b[customer_id]
        assert other["profit"] == pytest.approx(row["profit"])
        assert {k: other[k] for k in row if k != "profit"} == {
            k: row[k] for k in row if k != "profit"
        }
    assert b[shop.wang.pk]["profit"] == pytest.approx(EXPECTED_PROFIT["wang"])
