"""Shared fixtures of the churn tests: synthetic subscribers and purchases, one fitted model.

Fitting takes seconds, so the model is fitted once per run (through the real ``fit`` entry
point) and the tests that only read it share it. Everything uses ``--n-jobs 1``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from kehu.analytics import io
from kehu.analytics.churn import cli
from tests.support import churn_synthetic as synthetic

# A quick grid for tests: the full grid is the benchmark's and the product's business.
FAST = ("--n-jobs", "1")


@pytest.fixture(scope="session")
def telecom_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("telecom") / "subscribers.csv"
    synthetic.telecom(2500, seed=11).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def telecom_new_csv(tmp_path_factory) -> Path:
    """Other customers of the same kind, never seen by the fit."""
    path = tmp_path_factory.mktemp("telecom_new") / "new.csv"
    synthetic.telecom(3000, seed=12).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def fitted(tmp_path_factory, telecom_csv) -> tuple[Path, dict]:
    """(model file, the --json report) of ``kehu churn fit`` on ``telecom_csv``."""
    import contextlib
    import io as _io

    model = tmp_path_factory.mktemp("model") / "churn.kehu"
    out = _io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.fit_main(
            ["--data", str(telecom_csv), "--label", "Churn", "--id", "customerID"]
            + ["--model", str(model), "--json", *FAST]
        )
    assert code == 0
    return model, json.loads(out.getvalue())


@pytest.fixture(scope="session")
def purchases() -> pa.Table:
    frame = synthetic.purchases(1200, seed=5)
    return io.validate(pa.Table.from_pandas(frame, preserve_index=False), "transactions")


@pytest.fixture(scope="session")
def purchases_csv(tmp_path_factory, purchases) -> Path:
    path = tmp_path_factory.mktemp("purchases") / "tx.csv"
    io.write_table(purchases.select(["customer_id", "date", "amount"]), path)
    return path
