"""The nightly run scores churn risk in the same snapshot as the value run: every buyer gets a
probability, its band by the settings' cut-offs, value at risk (probability × lifetime value,
or × a year's profit; never negative), the change since their previous run, and the copy on
the customer row; prospects without orders get none; leavers rank above stayers; a failed run
leaves the previous churn figures in place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from kehu.analytics.churn.metrics import auc
from kehu.insights import churn, services
from kehu.insights.models import AnalyticsConfig, CustomerScore

from .churn_support import make_buyers
from .conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyers(org):
    return make_buyers(org)


def scores_of(run) -> dict[int, CustomerScore]:
    return {s.customer_id: s for s in CustomerScore.objects.filter(run=run)}


def test_every_buyer_scored_with_band_value_and_copy(buyers):
    run = services.analytics_run(as_of=AS_OF)
    summary = run.summary["churn"]
    assert summary["activity"]["source"] in ("fitted", "bgnbd", "p_alive")
    assert summary["scored"] == len(buyers.buyers)
    config = AnalyticsConfig.load()
    scores = scores_of(run)
    for c in buyers.buyers:
        s = scores[c.pk]
        assert 0.0 <= s.churn_probability <= 1.0
        assert s.churn_model == "activity"
        expected_band = (
            "high"
            if s.churn_probability >= config.churn_band_high
            else "medium"
            if s.churn_probability >= config.churn_band_medium
            else "low"
        )
        assert s.churn_band == expected_band
        assert s.value_at_risk is not None and s.value_at_risk >= 0
        if s.clv is not None:
            assert s.value_at_risk == pytest.approx(s.churn_probability * max(s.clv, 0))
        assert s.churn_change is None  # no earlier run
        c.refresh_from_db()
        assert c.churn_probability == pytest.approx(s.churn_probability)
        assert c.churn_band == s.churn_band
        assert c.value_at_risk == Decimal(str(round(s.value_at_risk, 2)))
    for p in buyers.prospects:
        s = scores[p.pk]
        assert s.churn_probability is None and s.churn_band == "" and s.churn_reasons == []
        p.refresh_from_db()
        assert p.churn_probability is None and p.churn_band == ""


def test_leavers_rank_above_stayers_with_reasons(buyers):
    run = services.analytics_run(as_of=AS_OF)
    scores = scores_of(run)
    y = [1] * len(buyers.leavers) + [0] * len(buyers.stayers)
    p = [scores[c.pk].churn_probability for c in buyers.leavers + buyers.stayers]
    assert auc(np.array(y), np.array(p)) >= 0.9
    if run.summary["churn"]["activity"]["source"] != "p_alive":
        top = max(buyers.leavers, key=lambda c: scores[c.pk].churn_probability)
        reasons = scores[top.pk].churn_reasons
        assert reasons and {"code", "params"} <= set(reasons[0])
        assert churn.reason_words(reasons, "en") and churn.reason_words(reasons, "zh-Hans")


def test_change_since_previous_run(buyers):
    first = scores_of(services.analytics_run(as_of=AS_OF))
    later = AS_OF + dt.timedelta(days=31)
    second = scores_of(services.analytics_run(as_of=later))
    for c in buyers.buyers:
        assert second[c.pk].churn_change == pytest.approx(
            second[c.pk].churn_probability - first[c.pk].churn_probability
        )


def test_failed_churn_scoring_keeps_previous_figures(buyers, monkeypatch):
    services.analytics_run(as_of=AS_OF)
    c = buyers.leavers[0]
    c.refresh_from_db()
    before = (c.churn_probability, c.churn_band, c.value_at_risk, c.scored_at)
    count = CustomerScore.objects.count()

    def boom(**kwargs):
        raise RuntimeError("model store unreadable")

    monkeypatch.setattr(churn, "score_run", boom)
    with pytest.raises(services.RunFailed, match="model store unreadable"):
        services.analytics_run(as_of=AS_OF + dt.timedelta(days=1))
    c.refresh_from_db()
    assert (c.churn_probability, c.churn_band, c.value_at_risk, c.scored_at) == before
    assert CustomerScore.objects.count() == count
