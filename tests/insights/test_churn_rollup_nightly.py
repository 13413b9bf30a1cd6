"""The nightly run counts its churn scores into the rollup in the same snapshot: the report
then reads it, with the figures the scores give; a run that fails stores no rollup."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.insights import churn_rollup, selectors_churn_report, services
from kehu.insights.models import ChurnRollup
from kehu.insights.selectors import ReportFilters

from .churn_support import make_buyers
from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def report(user, run) -> dict:
    f = ReportFilters()
    return {
        "trend": selectors_churn_report.churn_trend(user=user, filters=f),
        "distribution": selectors_churn_report.risk_distribution(user=user, run=run, filters=f),
        "reasons": selectors_churn_report.reasons_by_segment(user=user, run=run, filters=f),
    }


def test_nightly_run_builds_the_rollup_the_report_reads(org):
    make_buyers(org)
    run = services.analytics_run(as_of=AS_OF)
    assert churn_rollup.built_runs([run.pk]) == {run.pk}
    counted = sum(ChurnRollup.objects.filter(run=run, reason="").values_list("n", flat=True))
    assert counted == run.scores.filter(customer__is_archived=False).count() > 0
    for user in (org.root, org.mia):
        rolled = report(user, run)
        assert sum(rolled["distribution"]["counts"]) > 0
        ChurnRollup.objects.filter(run=run).delete()
        assert report(user, run) == rolled
        churn_rollup.build(run)


def test_failed_run_stores_no_rollup(org, monkeypatch):
    make_buyers(org)
    services.analytics_run(as_of=AS_OF)
    rows = ChurnRollup.objects.count()

    def boom(**kwargs):
        raise RuntimeError("snapshot write failed")

    monkeypatch.setattr(services, "update_customers", boom)
    with pytest.raises(services.RunFailed):
        services.analytics_run(as_of=AS_OF + dt.timedelta(days=1))
    assert ChurnRollup.objects.count() == rows
