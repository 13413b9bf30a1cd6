"""The churn report's cohort retention and repeat rate read from the per-run cohort rollup give
the same numbers as the live pass over the orders, for every persona and the report's filters,
for both runs of the spread; the rollup answers only at its run's date, and the nightly run
builds it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.customers.models import Customer
from kehu.insights import churn_rollup, cohort_rollup, selectors_churn_report, services
from kehu.insights.models import CohortRollup
from kehu.insights.selectors import ReportFilters
from kehu.sales.models import Order
from tests.insights.churn_rollup_fixture import spread
from tests.insights.test_churn_rollup_matches_live import PERSONAS, ROLLED, filter_sets

from .churn_support import make_buyers
from .conftest import AS_OF as NIGHTLY_AS_OF

pytestmark = pytest.mark.django_db


def orders_for(customers: list[Customer]) -> None:
    """Orders spread so that every rule of the counts matters: first orders before the
    24-month window of either run and inside it, several orders in one month (counted once),
    a single order (not a repeat), cancelled and open orders (not counted), orders after the
    earlier run's date and after the later one's, customers without orders."""
    rows = []
    for i, customer in enumerate(customers):
        if i % 6 == 5:
            continue  # never ordered
        first = dt.date(2023, 4, 10) + dt.timedelta(days=29 * i)
        days = [first]
        if i % 4 != 1:
            days += [first + dt.timedelta(days=d) for d in (3, 40, 95 + i, 300)]
        for n, day in enumerate(days):
            status = Order.Status.COMPLETED
            if (i + n) % 7 == 4:
                status = Order.Status.CANCELLED
            elif (i + n) % 11 == 6:
                status = Order.Status.OPEN
            rows.append(
                Order(
                    customer=customer,
                    number=f"CO-{customer.pk}-{n}",
                    channel="web",
                    ordered_on=day,
                    status=status,
                    amount=Decimal(100),
                )
            )
    Order.objects.bulk_create(rows)


@pytest.fixture
def made(org):
    m = spread(org)
    orders_for(list(Customer.objects.order_by("pk")))
    for run in m.runs:
        cohort_rollup.build(run)
    return m


def answers(user, made, filters) -> list[dict]:
    return [
        selectors_churn_report.cohorts(user=user, filters=filters, as_of=run.as_of, run=run)
        for run in (made.run, made.previous)
    ]


@pytest.mark.parametrize("who", PERSONAS)
def test_cohort_rollup_answers_equal_live_answers(org, made, who):
    user = getattr(org, who)
    filters = filter_sets(org, made)
    rolled = [answers(user, made, f) for f in filters]
    CohortRollup.objects.all().delete()  # now every answer comes from the orders
    live = [answers(user, made, f) for f in filters]
    for f, a, b in zip(filters, rolled, live, strict=True):
        assert a == b, f
    # The fixture is not empty for the people who see it: the comparison means something.
    if who in {"root", "mia", "charlie"}:
        current, previous = live[0]
        assert current["cohorts"] and current != previous
        assert any(r["repeat"] for r in current["repeat"])
        assert any(r["customers"] > r["repeat"] for r in current["repeat"])  # bought once
        assert any(cell[0] > 0 and cell[2] > 0 for cell in current["cells"])  # came back
    if who in ROLLED:
        assert churn_rollup.scope(user=user) is not None


def test_rollup_is_what_answers_and_only_at_its_date(org, made):
    filters = ReportFilters(segment="at_risk")
    run = made.run

    def repeat_count(as_of: dt.date) -> int:
        shown = selectors_churn_report.cohorts(user=org.mia, filters=filters, as_of=as_of, run=run)
        return sum(r["repeat"] for r in shown.get("repeat", []))

    before = repeat_count(run.as_of)
    row = CohortRollup.objects.filter(
        run=run, team_id=org.north.pk, rfm_segment="at_risk", period=0
    ).first()
    assert row is not None
    row.repeat += 5
    row.save()
    # Changing the rollup changes the answer: the report read it, not the orders.
    assert repeat_count(run.as_of) == before + 5
    # At any other date the orders answer (the rollup counts up to its run's date only).
    later = run.as_of + dt.timedelta(days=1)
    CohortRollup.objects.filter(run=run).delete()
    live_later = repeat_count(later)
    cohort_rollup.build(run)
    CohortRollup.objects.filter(run=run, period=0).update(repeat=999)
    assert repeat_count(later) == live_later


def test_run_without_rollup_or_without_orders(org):
    made = spread(org)
    assert not CohortRollup.objects.exists()  # a run stored before the cohort rollup
    orders_for(list(Customer.objects.order_by("pk")))
    f = ReportFilters()
    live = selectors_churn_report.cohorts(
        user=org.root, filters=f, as_of=made.run.as_of, run=made.run
    )
    assert live["cohorts"]
    assert cohort_rollup.build(made.run) > 1
    rolled = selectors_churn_report.cohorts(
        user=org.root, filters=f, as_of=made.run.as_of, run=made.run
    )
    assert rolled == live
    # No orders at all: one row that says "built", and the same empty answer.
    Order.objects.all().delete()
    assert cohort_rollup.build(made.run) == 1
    assert (
        selectors_churn_report.cohorts(user=org.root, filters=f, as_of=made.run.as_of, run=made.run)
        == {}
    )


def test_nightly_run_builds_the_cohort_rollup(org):
    make_buyers(org)
    run = services.analytics_run(as_of=NIGHTLY_AS_OF)
    assert CohortRollup.objects.filter(run=run, cohort__isnull=False).exists()
    for user in (org.root, org.mia):
        f = ReportFilters()
        rolled = selectors_churn_report.cohorts(user=user, filters=f, as_of=run.as_of, run=run)
        CohortRollup.objects.filter(run=run).delete()
        assert (
            selectors_churn_report.cohorts(user=user, filters=f, as_of=run.as_of, run=run) == rolled
        )
        cohort_rollup.build(run)
    assert selectors_churn_report.cohorts(
        user=org.root, filters=ReportFilters(), as_of=run.as_of, run=run
    )["cohorts"]
