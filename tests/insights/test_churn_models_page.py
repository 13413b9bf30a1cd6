"""The churn models page: administrators and managers see which model is live per kind, its
held-out figures beside the baseline, its backtest months and the refused models with their
reasons, in English and Chinese; analysts, sales reps, service agents and partner users are
refused (and reading it changes nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.core.models import AuditEvent
from kehu.insights.models import ChurnBacktest, ChurnModel
from tests.conftest import login

pytestmark = pytest.mark.django_db

URL = "/insights/churn/models/"


@pytest.fixture
def models(db):
    live = ChurnModel.objects.create(
        kind="contractual",
        status="live",
        trained_at=timezone.now(),
        as_of=dt.date(2025, 6, 30),
        training_rows=1234,
        positive_rate=0.2,
        metrics={
            "model": {"auc": 0.871, "pr_auc": 0.6, "top_decile_lift": 3.1, "brier": 0.12},
            "baseline": {"auc": 0.842, "pr_auc": 0.5, "top_decile_lift": 2.7, "brier": 0.13},
        },
        payload=b"",
    )
    ChurnBacktest.objects.create(
        model=live,
        month_end=dt.date(2024, 12, 31),
        customers=900,
        churn_rate=0.21,
        auc=0.8642,
        lift_top_decile=3.05,
        calibration=[{"n": 90, "predicted": 0.05, "observed": 0.04}],
    )
    refused = ChurnModel.objects.create(
        kind="activity",
        status="refused",
        refusal="held-out AUC 0.6818 is below the logistic baseline's 0.7018",
        trained_at=timezone.now(),
        as_of=dt.date(2025, 6, 30),
        metrics={"model": {"auc": 0.6818}, "baseline": {"auc": 0.7018}},
        payload=b"",
    )
    return live, refused


@pytest.mark.parametrize("persona", ["root", "mia"])
def test_managers_see_live_model_backtest_and_refusals(org, client, models, persona):
    login(client, getattr(org, persona))
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0.871" in page and "0.842" in page  # model vs baseline
    assert "0.864" in page and "2024-12-31" in page  # backtest month
    assert "below the logistic baseline" in page
    assert "1234" in page


def test_page_in_chinese(org, client, models):
    login(client, org.root)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "流失模型" in page
    assert "回测" in page


@pytest.mark.parametrize("persona", ["ana", "alice", "sam", "pat"])
def test_others_are_refused(org, client, models, persona):
    login(client, getattr(org, persona))
    before = (ChurnModel.objects.count(), AuditEvent.objects.count())
    response = client.get(URL)
    assert response.status_code == 403
    assert b"0.871" not in response.content
    assert (ChurnModel.objects.count(), AuditEvent.objects.count()) == before


def test_anonymous_is_sent_to_sign_in(client, models):
    response = client.get(URL)
    assert response.status_code == 302
