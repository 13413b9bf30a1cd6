"""The measures of the March 2025 fixture (tests/service/measures_data.py), against the
figures computed by hand in its docstring."""

from __future__ import annotations

import datetime as dt

from kehu.service import measures
from tests.service.measures_data import march

MARCH = measures.Period(dt.date(2025, 3, 1), 1)


def test_overall_month(org):
    march(org)
    m = measures.measures(user=org.root, period=MARCH)
    [row] = m.rows
    assert row.month == dt.date(2025, 3, 1)
    assert (row.opened, row.answered) == (5, 4)
    assert row.first_response_hours == 18.94
    assert row.response_sla_pct == 75.0
    assert row.resolved == 3
    assert row.resolution_hours == 11.0
    assert row.resolution_business_hours == 6.0
    assert row.business_sample == 3
    assert row.sla_pct == 100.0
    assert row.reopen_pct == 33.3
    assert row.fcr == 1 and row.fcr_pct == 33.3
    assert row.backlog == 2


def test_by_category(org):
    march(org)
    m = measures.measures(user=org.root, period=MARCH, by="category")
    totals = {t.label: t for t in m.totals}
    assert set(totals) == {"打印", "网络"}
    assert (totals["打印"].opened, totals["打印"].resolved, totals["打印"].backlog) == (2, 2, 0)
    assert totals["打印"].resolution_hours == 15.0  # (6 + 24) / 2
    assert (totals["网络"].opened, totals["网络"].resolved, totals["网络"].backlog) == (3, 1, 2)
    assert totals["网络"].reopen_pct == 100.0


def test_by_agent_and_team(org):
    march(org)
    by_agent = measures.measures(user=org.root, period=MARCH, by="agent")
    assert [(t.label, t.opened) for t in by_agent.totals] == [("sam", 5)]
    by_tier = measures.measures(user=org.root, period=MARCH, by="tier")
    assert [t.opened for t in by_tier.totals] == [5]


def test_months_outside_the_period_are_not_counted(org):
    march(org)
    april = measures.Period(dt.date(2025, 4, 1), 1)
    [row] = measures.measures(user=org.root, period=april).rows
    assert (row.opened, row.resolved) == (0, 0)
    # D and E are still open at the end of April.
    assert row.backlog == 2
