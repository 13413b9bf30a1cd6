"""Scoring a frame of customers with a fitted contractual model, locally or on Spark.

``score_frame`` is the one definition of the score table (``id, churn_probability,
reason_1..3``); ``score_spark`` applies it to every partition of a Spark DataFrame with
``mapInPandas``, so a customer base stored on a cluster is scored where it lives. Rows are
scored one by one (trees and contributions do not depend on the other rows of a batch), so
both give the same numbers and words for the same customer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from kehu.analytics.churn import reasons as R
from kehu.analytics.churn import tabular as T
from kehu.analytics.churn.contractual import ChurnClassifier

REASONS = ("reason_1", "reason_2", "reason_3")
SPARK_SCHEMA = (
    "id string, churn_probability double, reason_1 string, reason_2 string, reason_3 string"
)


def score_frame(
    model: ChurnClassifier,
    frame: pd.DataFrame,
    id_column: str,
    lang: str,
    *,
    all_reasons: bool = False,
) -> pd.DataFrame:
    """The score table of ``frame``: one row per input row, in order.

    Reasons are worked out for the customers whose risk is at or above the base rate (the
    ones retention acts on; their contributions are most of the scoring time), or for
    everyone with ``all_reasons``.
    """
    X = model.matrix(frame)
    prob = model.predict_proba_matrix(X)
    explain = np.ones(len(prob), dtype=bool) if all_reasons else prob >= model.base_rate_
    rows = np.flatnonzero(explain)
    top: list[list[str]] = []
    if len(rows):
        contrib = model.contributions(X[rows])
        describe = R.contractual_describer(model.specs_, X[rows], lang)
        top = R.top_reasons(contrib, prob[rows], model.base_rate_, describe)
    out = pd.DataFrame({"id": T.text_values(frame[id_column]).fillna("").to_numpy(dtype=object)})
    out["churn_probability"] = prob
    for r, name in enumerate(REASONS):
        column = np.full(len(prob), "", dtype=object)
        column[rows] = [row[r] if r < len(row) else "" for row in top]
        out[name] = column
    return out


def score_spark(
    df: Any, model_file: bytes, *, id_column: str, lang: str = "en", n_jobs: int = 1
) -> Any:
    """A Spark DataFrame of scores (``SPARK_SCHEMA``) for the customers in ``df``.

    ``model_file`` is the model file's bytes (text and JSON, see ``ChurnClassifier.to_bytes``):
    each task loads it once and scores its partition's batches.
    """
    lang = R.language(lang)
    context = df.sparkSession.sparkContext
    if "PYSPARK_PYTHON" not in os.environ and str(context.master).startswith("local"):
        # Local workers run on this machine: run them with this interpreter, which has kehu
        # and its dependencies (Spark's default is whatever "python3" is first on PATH). A
        # cluster's workers are set up by its operator (PYSPARK_PYTHON, kehu installed).
        context.pythonExec = sys.executable
    data = context.broadcast(model_file)

    def apply(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        model, _ = ChurnClassifier.from_bytes(data.value, n_jobs=n_jobs)
        for batch in batches:
            yield score_frame(model, batch, id_column, lang)

    return df.mapInPandas(apply, SPARK_SCHEMA)
