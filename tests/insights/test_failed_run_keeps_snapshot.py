"""A run that fails at any stage leaves the previous snapshot and the customer fields as they
were, and is recorded as failed with its error."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from kehu.analytics import pipeline
from kehu.insights import churn, services
from kehu.insights.models import AnalyticsRun, CustomerScore

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _boom(*args, **kwargs):
    raise RuntimeError("disk on fire")


@pytest.mark.parametrize(
    "target",
    [
        (pipeline, "run_pipeline"),  # in the analytics
        (churn, "score_run"),  # in the churn scoring, after the value run
        (services, "update_customers"),  # after the scores were written, before the commit
    ],
    ids=["pipeline", "churn", "store"],
)
def test_failed_run_leaves_previous_snapshot(shop, monkeypatch, target):
    call_command("analytics", "run", "--as-of", AS_OF.isoformat(), "--no-progress")
    good = AnalyticsRun.objects.get()
    before_scores = list(CustomerScore.objects.order_by("id").values())
    shop.wang.refresh_from_db()
    before = (shop.wang.grade, shop.wang.profit, shop.wang.scored_at, shop.wang.loyalty_stage,
              shop.wang.churn_probability, shop.wang.churn_band, shop.wang.value_at_risk)  # fmt: skip

    monkeypatch.setattr(*target, _boom)
    with pytest.raises(CommandError, match="disk on fire"):
        call_command("analytics", "run", "--as-of", "2025-07-31", "--no-progress")

    failed = AnalyticsRun.objects.exclude(pk=good.pk).get()
    assert failed.status == AnalyticsRun.Status.FAILED
    assert "RuntimeError: disk on fire" in failed.error
    assert failed.finished_at is not None
    assert not CustomerScore.objects.filter(run=failed).exists()
    assert list(CustomerScore.objects.order_by("id").values()) == before_scores
    good.refresh_from_db()
    assert good.status == AnalyticsRun.Status.SUCCEEDED
    shop.wang.refresh_from_db()
    after = (shop.wang.grade, shop.wang.profit, shop.wang.scored_at, shop.wang.loyalty_stage,
             shop.wang.churn_probability, shop.wang.churn_band, shop.wang.value_at_risk)  # fmt: skip
    assert after == before
