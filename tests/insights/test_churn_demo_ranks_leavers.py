"""Churn risk on the demo (issue #10): the nightly run's probabilities rank the demo's leavers
(lost and lapsing customers) above its loyal customers (heavy and regular buyers) with AUC
≥ 0.8 (partial churners still buy: they are the partial-churn flag's, test_demo_personas), first with the activity model the run fits
for itself, then after ``kehu churn train`` with the live trained models. The truth is each
customer's ``attributes["demo_persona"]`` (never a feature: churn_data drops ``demo_`` keys).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import transaction

from kehu.analytics.churn.metrics import auc
from kehu.insights.churn import reason_words
from kehu.insights.models import ChurnModel, CustomerScore
from kehu.insights.services import analytics_run

AS_OF = dt.date(2025, 6, 30)
LEAVERS = ("lost", "lapsing")
LOYAL = ("heavy", "regular")

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("demo")]


def persona_auc(run) -> float:
    y, p = [], []
    for score in CustomerScore.objects.filter(run=run).select_related("customer"):
        persona = score.customer.attributes.get("demo_persona")
        if persona in LEAVERS + LOYAL and score.revenue > 0:
            # Every buyer is scored (a demo buyer whose orders all went to an injected
            # duplicate has none: nothing to score).
            assert score.churn_probability is not None, persona
            y.append(1 if persona in LEAVERS else 0)
            p.append(score.churn_probability)
    return auc(np.array(y), np.array(p))


@pytest.fixture(scope="module")
def runs(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "demo", customers=2_000, seed=7, as_of=AS_OF, stdout=StringIO(), stderr=StringIO()
        )
        fitted = analytics_run(as_of=AS_OF)
        out = StringIO()
        call_command("churn", "train", "--as-of", AS_OF.isoformat(), "--months", "2",
                     "--no-progress", stdout=out)  # fmt: skip
        trained = analytics_run(as_of=AS_OF)
        for run in (fitted, trained):
            print("churn summary", run.duration_seconds, run.summary["churn"])  # noqa: T201
        print(out.getvalue())  # noqa: T201
        yield {"fitted": fitted, "trained": trained, "train_output": out.getvalue()}
        transaction.set_rollback(True)


def test_run_without_trained_models_ranks_leavers_first(runs):
    # The run's own activity model, or BG/NBD where that did better on the latest window.
    assert runs["fitted"].summary["churn"]["activity"]["source"] in ("fitted", "bgnbd")
    assert persona_auc(runs["fitted"]) >= 0.8


def test_trained_live_models_rank_leavers_first(runs):
    # The demo's members and framework contracts carry the contractual model's features.
    live = ChurnModel.objects.get(status="live", kind="contractual")
    assert runs["trained"].summary["churn"]["contractual"]["model_id"] == live.pk
    assert persona_auc(runs["trained"]) >= 0.8


def test_high_risk_customers_have_reasons_in_both_languages(runs):
    risky = CustomerScore.objects.filter(run=runs["trained"], churn_band="high")[:50]
    assert risky
    for score in risky:
        assert score.churn_reasons, score.customer_id
        assert reason_words(score.churn_reasons, "en")
        assert reason_words(score.churn_reasons, "zh-Hans")
