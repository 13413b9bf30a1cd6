"""Spark local mode gives the same results as DuckDB and pandas: the activity features built
by the same Ibis code on Spark, and contractual scoring applied per partition."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401
import pytest

from kehu.analytics import engines as E
from kehu.analytics.churn.activity import ActivityModel
from kehu.analytics.churn.contractual import ChurnClassifier
from kehu.analytics.churn.scoring import score_frame, score_spark

pytestmark = pytest.mark.spark


def test_activity_scores_are_identical_on_spark(purchases, spark):
    # A third of the customers: Spark's cost here is per query, not per row.
    some = pa.compute.less(purchases["customer_id"], pa.scalar("K000400"))
    purchases = purchases.filter(some)
    dates = {"calibration_end": "2024-06-30", "horizon_end": "2024-09-30"}
    local = ActivityModel(n_jobs=1).fit(purchases, **dates).scores_
    with E.Engine("spark", spark_session=spark) as eng:
        remote = ActivityModel(n_jobs=1, engine=eng).fit(purchases, **dates).scores_
    pd.testing.assert_frame_equal(local, remote, check_exact=True)


def test_contractual_scoring_per_partition_is_identical(fitted, telecom_new_csv, spark):
    path, _ = fitted
    model, _ = ChurnClassifier.from_bytes(path.read_bytes())
    frame = pd.read_csv(telecom_new_csv, dtype=str, keep_default_na=False)
    local = score_frame(model, frame, "customerID", "zh-Hans")
    df = spark.read.option("header", True).csv(str(telecom_new_csv)).repartition(3)
    remote = score_spark(df, path.read_bytes(), id_column="customerID", lang="zh-Hans")
    got = remote.toPandas().fillna("").set_index("id").loc[local["id"]].reset_index()
    assert len(got) == len(local)
    pd.testing.assert_frame_equal(local, got, check_exact=True)
