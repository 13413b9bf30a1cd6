"""``kehu churn train``: a model goes live only when not worse than its baseline and the live
model (else stored as refused with the reason, the live one stays); every stored model is
audited with its backtest months; bad input ends with one line and exit code 2."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kehu.core.models import AuditEvent
from kehu.insights.churn_train import store_model
from kehu.insights.models import ChurnBacktest, ChurnModel

from .churn_support import make_buyers
from .conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyers(org):
    return make_buyers(org)


def fitted(auc: float, baseline: float) -> dict:
    return {
        "payload": b"model",
        "metrics": {"model": {"auc": auc, "brier": float("nan")}, "baseline": {"auc": baseline}},
        "training_rows": 500,
        "positive_rate": 0.2,
        "features": ["tenure_days"],
        "backtest": [
            {
                "month_end": dt.date(2025, 1, 31),
                "customers": 400,
                "churn_rate": 0.2,
                "auc": auc - 0.01,
                "lift_top_decile": 2.5,
                "calibration": [{"n": 40, "predicted": 0.1, "observed": 0.12}],
            }
        ],
    }


def test_gate_keeps_the_better_live_model(org):
    first = store_model(kind="contractual", as_of=AS_OF, fitted=fitted(0.85, 0.82), by=org.root)
    assert first.status == "live"
    assert ChurnBacktest.objects.get(model=first).auc == pytest.approx(0.84)
    assert first.metrics["model"]["brier"] is None  # NaN stored as null

    worse_than_baseline = store_model(
        kind="contractual", as_of=AS_OF, fitted=fitted(0.80, 0.83), by=org.root
    )
    assert worse_than_baseline.status == "refused"
    assert "below the logistic baseline" in worse_than_baseline.refusal
    worse_than_live = store_model(
        kind="contractual", as_of=AS_OF, fitted=fitted(0.83, 0.80), by=org.root
    )
    assert worse_than_live.status == "refused"
    assert "below the live model" in worse_than_live.refusal
    first.refresh_from_db()
    assert first.status == "live"

    better = store_model(kind="contractual", as_of=AS_OF, fitted=fitted(0.87, 0.82), by=org.root)
    first.refresh_from_db()
    assert (better.status, first.status) == ("live", "retired")
    # Each kind has its own live model.
    activity = store_model(kind="activity", as_of=AS_OF, fitted=fitted(0.70, 0.69), by=None)
    assert activity.status == "live"
    assert ChurnModel.objects.filter(status="live").count() == 2

    events = AuditEvent.objects.filter(model="insights.churnmodel").order_by("id")
    assert [e.object_id for e in events] == [
        str(m.pk) for m in (first, worse_than_baseline, worse_than_live, better, activity)
    ]
    assert events[1].changes["status"] == [None, "refused"]
    assert events[0].user == org.root


def test_train_activity_on_the_database(buyers):
    out = StringIO()
    call_command(
        "churn", "train", "--kind", "activity", "--as-of", AS_OF.isoformat(), "--months", "2",
        "--json", "--no-progress", stdout=out,
    )  # fmt: skip
    [report] = json.loads(out.getvalue())
    model = ChurnModel.objects.get(pk=report["id"])
    assert model.kind == "activity" and model.status in ("live", "refused")
    assert model.metrics["baseline_name"] == "BG/NBD"
    assert report["auc"] == pytest.approx(model.metrics["model"]["auc"])
    assert model.training_rows > len(buyers.buyers)  # several stacked cut-offs
    assert len(report["backtest"]) == model.backtests.count() == 2
    assert AuditEvent.objects.filter(model="insights.churnmodel", object_id=str(model.pk)).exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", "2025-13-01"], "not a date"),
        (["--kind", "weekly"], "invalid choice"),
        (["--months", "99"], "months must be"),
        (["--kind", "contractual"], "need at least"),  # an empty database
        (["--kind", "activity"], "no completed orders"),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(db, argv, message):
    with pytest.raises(CommandError, match=message) as caught:
        call_command("churn", "train", *argv, "--no-progress", stdout=StringIO())
    assert caught.value.returncode == 2
    assert not ChurnModel.objects.exists()
    assert not AuditEvent.objects.filter(model="insights.churnmodel").exists()
