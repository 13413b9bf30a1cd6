"""Runs stored before the rollup existed, and people whose view the rollup cannot express,
get the live queries: same figures as for a run with a rollup."""

from __future__ import annotations

import pytest

from kehu.insights import churn_rollup, selectors_churn_report
from kehu.insights.models import ChurnRollup
from kehu.insights.selectors import ReportFilters
from tests.insights.churn_rollup_fixture import spread

pytestmark = pytest.mark.django_db


def test_trend_mixes_runs_with_and_without_rollup(org):
    made = spread(org)
    full = selectors_churn_report.churn_trend(user=org.root, filters=ReportFilters())
    ChurnRollup.objects.filter(run=made.previous).delete()  # an older run, before the rollup
    assert churn_rollup.built_runs([r.pk for r in made.runs]) == {made.run.pk}
    mixed = selectors_churn_report.churn_trend(user=org.root, filters=ReportFilters())
    assert mixed == full and len(mixed) == 2


def test_run_without_rollup_reads_the_scores(org):
    made = spread(org, build=False)
    assert churn_rollup.built_runs([made.run.pk]) == set()
    shown = selectors_churn_report.risk_distribution(
        user=org.root, run=made.run, filters=ReportFilters()
    )
    assert sum(shown["counts"]) > 0
    churn_rollup.build(made.run)
    assert churn_rollup.built_runs([made.run.pk]) == {made.run.pk}
    assert shown == selectors_churn_report.risk_distribution(
        user=org.root, run=made.run, filters=ReportFilters()
    )


def test_partial_views_are_not_answered_by_the_rollup(org):
    spread(org)
    # A partner sees shared customers, charlie South plus one North customer he owns.
    assert churn_rollup.scope(user=org.pat) is None
    assert churn_rollup.scope(user=org.charlie) is None
    assert churn_rollup.scope(user=org.mia) is not None
