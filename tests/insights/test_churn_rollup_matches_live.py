"""The churn report's charts read from the per-run rollup give the same numbers as the live
queries over the scores, for every persona and the report's filters, over two runs."""

from __future__ import annotations

import pytest

from kehu.insights import churn_rollup, selectors_churn_report
from kehu.insights.models import ChurnRollup
from kehu.insights.selectors import ReportFilters
from tests.insights.churn_rollup_fixture import spread

pytestmark = pytest.mark.django_db

PERSONAS = ["root", "ana", "sam", "mia", "alice", "bob", "charlie", "pat", "quinn"]
# Whose view is whole teams or everyone: these are answered from the rollup.
ROLLED = {"root", "ana", "sam", "mia", "alice", "bob"}


def answers(user, made, filters) -> dict:
    return {
        "trend": selectors_churn_report.churn_trend(user=user, filters=filters),
        "distribution": selectors_churn_report.risk_distribution(
            user=user, run=made.run, filters=filters
        ),
        "reasons": selectors_churn_report.reasons_by_segment(
            user=user, run=made.run, filters=filters
        ),
        "previous": selectors_churn_report.risk_distribution(
            user=user, run=made.previous, filters=filters
        ),
    }


def filter_sets(org, made) -> list[ReportFilters]:
    return [
        ReportFilters(),
        ReportFilters(team=org.north.pk),
        ReportFilters(team=made.east.pk),
        ReportFilters(region=made.east_region.pk),
        ReportFilters(region=made.west.pk),
        ReportFilters(segment="at_risk"),
        ReportFilters(team=org.south.pk, segment="loyal"),
        ReportFilters(region=made.east_region.pk, segment="champions"),
    ]


@pytest.mark.parametrize("who", PERSONAS)
def test_rollup_answers_equal_live_answers(org, who):
    made = spread(org)
    user = getattr(org, who)
    assert (churn_rollup.scope(user=user) is not None) == (who in ROLLED)
    filters = filter_sets(org, made)
    rolled = [answers(user, made, f) for f in filters]
    ChurnRollup.objects.all().delete()  # now every answer comes from the scores
    live = [answers(user, made, f) for f in filters]
    for f, a, b in zip(filters, rolled, live, strict=True):
        assert a == b, f
    # The fixture is not empty for the people who see it: the comparison means something.
    if who in {"root", "mia", "charlie"}:
        assert sum(live[0]["distribution"]["counts"]) > 0
        assert live[0]["reasons"]["codes"]
        assert len(live[0]["trend"]) == 2


def test_rollup_is_what_answers_for_a_manager(org, django_assert_max_num_queries):
    made = spread(org)
    filters = ReportFilters(segment="at_risk")
    before = selectors_churn_report.risk_distribution(user=org.mia, run=made.run, filters=filters)
    # Changing the rollup changes the answer: the page read it, not the scores.
    row = ChurnRollup.objects.filter(
        run=made.run, team_id=org.north.pk, rfm_segment="at_risk", reason="", bin__isnull=False
    ).first()
    row.n += 5
    row.save()
    after = selectors_churn_report.risk_distribution(user=org.mia, run=made.run, filters=filters)
    assert sum(after["counts"]) == sum(before["counts"]) + 5
