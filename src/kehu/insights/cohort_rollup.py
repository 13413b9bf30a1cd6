"""Cohort retention and repeat rate of the churn report (issue #10, C6) at 1,000,000 customers:
the orders are grouped once per customer and month, and each customer's first month, order
count and active months are counted from that one pass (``live``) — or, for the users the
churn rollup may answer (``churn_rollup.scope``), read from the counts the nightly run stored
(``build``, ``read``).

Both paths run the same SQL over the same orders (completed ones up to the report's as-of
date), so they give the same numbers (tests/insights/test_cohort_rollup_matches_live.py).
The rollup answers only when the report's as-of date is its run's: it counts the orders as
they were when the run stored it, and team, region and archiving as they were then (as
``ChurnRollup`` does)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from kehu.core.models import Team
from kehu.customers.models import Customer
from kehu.insights import churn_rollup
from kehu.insights.models import AnalyticsRun, CohortRollup, CustomerScore
from kehu.sales.models import Order

COHORT_MONTHS = 24

# {(cohort, period): active customers}, {cohort: (size, customers with two orders or more)}
Counts = tuple[dict[tuple[int, int], int], dict[int, tuple[int, int]]]


def month_index(day: Any) -> int:
    return day.year * 12 + day.month - 1


def first_cohort(as_of: Any) -> int:
    """The oldest cohort month the report shows for ``as_of``."""
    return month_index(as_of) - COHORT_MONTHS + 1


def _customer_months(orders: QuerySet) -> tuple[str, tuple[Any, ...]]:
    """SQL of one row per customer (``c``) and month (``m``) with completed orders among
    ``orders``, with their number (``n``); and its parameters. The ORM writes the month
    arithmetic for each database."""
    # Integers before the arithmetic: PostgreSQL's EXTRACT gives numeric, slower to add up
    # and group by over millions of orders.
    year = Cast(ExtractYear("ordered_on"), IntegerField())
    month = year * 12 + Cast(ExtractMonth("ordered_on"), IntegerField()) - 1
    grouped = (
        orders.filter(status=Order.Status.COMPLETED)
        .values(c=F("customer_id"), m=month)
        .annotate(n=Count("id"))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    return sql, tuple(params)


# Per customer and active month: the customer's first month (its cohort), the months since
# (period) and its number of orders, by window functions over the one grouped pass.
_PER_CUSTOMER = """
WITH cm AS ({months}),
cu AS (
    SELECT c, m - MIN(m) OVER (PARTITION BY c) AS period, MIN(m) OVER (PARTITION BY c) AS cohort,
        SUM(n) OVER (PARTITION BY c) AS total
    FROM cm
)"""

_LIVE = """
SELECT cu.cohort, cu.period, COUNT(*), SUM(CASE WHEN cu.period = 0 AND cu.total >= 2 THEN 1 END)
FROM cu WHERE cu.cohort >= %s GROUP BY cu.cohort, cu.period"""

# The same per team, region (the customer's own, else its team's) and the run's RFM segment,
# archived customers left out: the rollup's rows.
_BUILD = """
SELECT k.team_id, COALESCE(k.region_id, t.region_id), COALESCE(s.rfm_segment, ''),
    cu.cohort, cu.period, COUNT(*), SUM(CASE WHEN cu.period = 0 AND cu.total >= 2 THEN 1 END)
FROM cu
JOIN {customer} k ON k.id = cu.c
LEFT JOIN {team} t ON t.id = k.team_id
LEFT JOIN {score} s ON s.run_id = %s AND s.customer_id = cu.c
WHERE cu.cohort >= %s AND k.is_archived = %s
GROUP BY k.team_id, COALESCE(k.region_id, t.region_id), COALESCE(s.rfm_segment, ''),
    cu.cohort, cu.period"""


def live(*, customers: QuerySet, as_of: Any) -> Counts:
    """The counts over ``customers`` (a Customer queryset) from their orders up to ``as_of``,
    in one query."""
    months, params = _customer_months(
        Order.objects.filter(customer__in=customers.values("pk"), ordered_on__lte=as_of)
    )
    sql = _PER_CUSTOMER.format(months=months) + _LIVE  # noqa: S608 (the ORM's own SQL)
    with connection.cursor() as cur:
        cur.execute(sql, (*params, first_cohort(as_of)))
        return _counts(cur.fetchall())


def _counts(rows: list[tuple[Any, ...]]) -> Counts:
    active: dict[tuple[int, int], int] = {}
    repeat: dict[int, tuple[int, int]] = {}
    for cohort, period, n, twice in rows:
        c, p, n = int(cohort), int(period), int(n or 0)
        active[(c, p)] = active.get((c, p), 0) + n
        if p == 0:
            size, more = repeat.get(c, (0, 0))
            repeat[c] = (size + n, more + int(twice or 0))
    return active, repeat


def build(run: AnalyticsRun) -> int:
    """Count ``run``'s cohorts into CohortRollup rows (replacing any); returns the rows
    written. One pass over the orders up to the run's as-of date, inside the snapshot's
    transaction."""
    CohortRollup.objects.filter(run=run).delete()
    months, params = _customer_months(Order.objects.filter(ordered_on__lte=run.as_of))
    customer, team, score = (
        Customer._meta.db_table,
        Team._meta.db_table,
        CustomerScore._meta.db_table,
    )
    tables = {"customer": customer, "team": team, "score": score}
    sql = _PER_CUSTOMER.format(months=months) + _BUILD.format(**tables)  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, (*params, run.pk, first_cohort(run.as_of), False))
        found = cur.fetchall()
    rows = [
        CohortRollup(
            run=run,
            team_id=t,
            region_id=r,
            rfm_segment=segment,
            cohort=int(cohort),
            period=int(period),
            active=int(n),
            repeat=int(twice or 0),
        )
        for t, r, segment, cohort, period, n, twice in found
    ]
    # Even a run without orders gets a row: its presence says "built" (see ``read``).
    if not rows:
        rows = [CohortRollup(run=run)]
    CohortRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def read(*, where: Q, filters: Any, run: AnalyticsRun) -> Counts | None:
    """The counts from ``run``'s rollup within ``where`` (``churn_rollup.scope``), narrowed by
    the report's filters; None when the run has no rollup (stored before it existed)."""
    if not CohortRollup.objects.filter(run=run).exists():
        return None
    qs = churn_rollup.narrowed(
        CohortRollup.objects.filter(where, run=run, cohort__gte=first_cohort(run.as_of)), filters
    )
    return _counts(
        list(
            qs.values("cohort", "period")
            .annotate(n=Sum("active"), twice=Sum("repeat"))
            .values_list("cohort", "period", "n", "twice")
            .order_by()
        )
    )
