"""Why a churn model was refused is stored as a code with its figures, so the models page
words it in the reader's language; a model stored before the codes shows its English
sentence. ``kehu churn train`` stores the code (``replace_if_better`` gives it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from kehu.analytics.churn.contractual import replace_if_better
from kehu.insights.models import ChurnModel
from tests.conftest import login

pytestmark = pytest.mark.django_db


def refused(kind: str, decision: dict | None, sentence: str = "") -> ChurnModel:
    metrics = {"model": {"auc": 0.6818}, "baseline": {"auc": 0.7018}}
    if decision is not None:
        metrics["decision"] = decision
    return ChurnModel.objects.create(
        kind=kind,
        status="refused",
        refusal=sentence,
        trained_at=timezone.now(),
        as_of=dt.date(2025, 6, 30),
        metrics=metrics,
        payload=b"",
    )


def test_decision_codes():
    worse = replace_if_better({"model": {"auc": 0.70}, "baseline": {"auc": 0.72}})
    assert (worse.replace, worse.code) == (False, "below_baseline")
    assert worse.params == {"auc": 0.70, "baseline": 0.72}
    older = replace_if_better(
        {"model": {"auc": 0.80}, "baseline": {"auc": 0.72}}, {"model": {"auc": 0.85}}
    )
    assert (older.replace, older.code, older.params["live"]) == (False, "below_live", 0.85)
    assert replace_if_better({"model": {"auc": 0.9}, "baseline": {"auc": 0.8}}).code == "better"


def test_refusal_in_both_languages():
    model = refused(
        "activity", {"code": "below_baseline", "params": {"auc": 0.6818, "baseline": 0.7018}}
    )
    with translation.override("en"):
        assert model.refusal_text == "held-out AUC 0.6818 is below BG/NBD (the baseline)'s 0.7018"
    with translation.override("zh-hans"):
        assert model.refusal_text == "留出集 AUC 0.6818 低于BG/NBD（基线）的 0.7018"
    live = refused("contractual", {"code": "below_live", "params": {"auc": 0.8, "live": 0.85}})
    with translation.override("zh-hans"):
        assert live.refusal_text == "留出集 AUC 0.8000 低于在用模型的 0.8500"


def test_old_rows_keep_their_sentence():
    model = refused("activity", None, "held-out AUC 0.6818 is below the live model's 0.7")
    with translation.override("zh-hans"):
        assert model.refusal_text == "held-out AUC 0.6818 is below the live model's 0.7"


def test_models_page_shows_the_chinese_reason(org, client):
    refused("activity", {"code": "below_baseline", "params": {"auc": 0.6818, "baseline": 0.7018}})
    login(client, org.root)
    page = client.get("/insights/churn/models/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "留出集 AUC 0.6818 低于BG/NBD（基线）的 0.7018" in page.content.decode()
