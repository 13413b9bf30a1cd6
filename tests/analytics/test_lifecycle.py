"""Churn type, lifecycle status, loyalty ladder and cohorts on hand-made customers.

Days are plain day numbers; as-of is day 1000. Defaults: complete churn after 3 × ipt, lost only
after a year's silence, lapsed after 2 ×, at risk after 1.5 ×, gaps never below 30 days; partial
churn over a window of 6 × the customer's gap so far (90 to 365 days), with at least 4 baseline
purchase days and 2 expected purchases, spend below half of expected, and either the
conditional count test p < 0.2 or the spend z < -1.645.
"""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pytest

from kehu.analytics import lifecycle as L
from kehu.analytics import pipeline as P

NAN = math.nan
CFG = L.LifecycleConfig()
AS_OF = 1000

# Repeat buyers' ipt: k1 890/19 = 46.8, k2 400/4 = 100, k3 960/13 = 73.8, k5 490/5 = 98,
# k6 880/3 = 293.3, k8 270/7 = 38.6, k9 960/11 = 87.3, k10 990/15 = 66.
# Partial churn: m = baseline days - 1, N = m × W / baseline length, E = N × spend per baseline
# day, p = P(Binomial(k + m, W / (W + baseline length)) <= k), z = (spend - E) / sqrt(N × m2).
CUSTOMERS = {
    # first, last, prev, n, window, recent days, recent, baseline amount, days, sum of squares
    # k1: window 900·6//20 = 270; baseline 14 days of 100 over 730-100 = 630 days: N = 13 ·
    #     270/630 = 5.57, E = 557.1; recent 600 is not below half -> no churn; active.
    "k1": (100, 990, 930, 20, 270, 6, 600.0, 1400.0, 14, 140_000.0),
    # k2: ipt 100, silent 500 days > 300 and > 365 -> complete churn -> lost.
    "k2": (100, 500, 400, 5, 365, 0, 0.0, 500.0, 5, 50_000.0),
    # k3: window 1000·6//14 = 428 -> 365; baseline 12 days of 200 over 635 days: N = 11 ·
    #     365/635 = 6.32, E = 1264.6; two purchases of 300: 600 < 632.3; z = -664.6 /
    #     sqrt(6.32 · 40000) = -1.32 is not enough, but P(Binomial(13, 0.365) <= 2) = 0.094
    #     < 0.2 -> partial churn -> at risk (40 days since the last < 1.5 × 73.8).
    "k3": (0, 960, 900, 14, 365, 2, 600.0, 2400.0, 12, 480_000.0),
    # k4: one purchase 50 days ago; no baseline -> no churn; new (50 <= 90).
    "k4": (950, 950, NAN, 1, 300, 1, 100.0, 0.0, 0, 0.0),
    # k5: ipt 98, silent 210 days > 2 × 98 but < 294 -> lapsed, no churn (3 baseline days
    #     after the first: too few to tell).
    "k5": (300, 790, 700, 6, 365, 0, 0.0, 600.0, 3, 60_000.0),
    # k6: days 100, 200, 300, 980: ipt before the last purchase (300-100)/2 = 100, gap 680 >
    #     200 and last purchase 20 days ago -> won back. Only 3 baseline days -> no churn.
    "k6": (100, 980, 300, 4, 365, 1, 100.0, 300.0, 3, 30_000.0),
    # k7: never bought.
    "k7": (NAN, NAN, NAN, 0, NAN, 0, 0.0, 0.0, 0, 0.0),
    # k8: ipt 38.6, silent 130 days > 3 × 38.6 -> complete churn, but within the year ->
    #     lapsed, not lost.
    "k8": (600, 870, 850, 8, 200, 0, 0.0, 500.0, 5, 50_000.0),
    # k9: a dip within the noise: baseline 9 days of 200 -> N = 4.6, E = 919.7; three
    #     purchases of 100: 300 < 459.8, but P(Binomial(11, 0.365) <= 3) = 0.38 and
    #     z = -619.7 / sqrt(4.6 · 40000) = -1.44 -> no churn.
    "k9": (0, 960, 900, 12, 365, 3, 300.0, 1800.0, 9, 360_000.0),
    # k10: still comes as often (6 purchases, N = 5.17) but spends 20 instead of 200:
    #     z = (120 - 1034.6) / sqrt(5.17 · 40000) = -2.01 -> partial churn.
    "k10": (0, 990, 960, 16, 365, 6, 120.0, 2000.0, 10, 400_000.0),
}


def column(i: int) -> list:
    return [v[i] for v in CUSTOMERS.values()]


def churn_of(season: float | list = 1.0, **over) -> list:
    kwargs = {
        "as_of_day": AS_OF,
        "first_day": column(0),
        "last_day": column(1),
        "n_days": column(3),
        "window_days": column(4),
        "recent_days": column(5),
        "recent_amount": column(6),
        "baseline_amount": column(7),
        "baseline_days": column(8),
        "baseline_sq": column(9),
        "season": season,
        "config": CFG,
    }
    return L.churn_type(**(kwargs | over)).tolist()


def test_churn_type():
    assert dict(zip(CUSTOMERS, churn_of(), strict=True)) == {
        "k1": "none",
        "k2": "complete",
        "k3": "partial",
        "k4": "none",
        "k5": "none",
        "k6": "none",
        "k7": None,
        "k8": "complete",
        "k9": "none",
        "k10": "partial",
    }


def test_low_p_alive_is_complete_churn():
    got = L.churn_type(
        as_of_day=AS_OF,
        first_day=[100, 100],
        last_day=[990, 990],
        n_days=[20, 20],
        window_days=[270, 270],
        recent_days=[6, 6],
        recent_amount=[600.0, 600.0],
        baseline_amount=[1400.0, 1400.0],
        baseline_days=[14, 14],
        baseline_sq=[140_000.0, 140_000.0],
        p_alive=[0.05, 0.5],
        config=CFG,
    )
    assert got.tolist() == ["complete", "none"]


def test_partial_churn_needs_a_baseline():
    # k3 with only 3 baseline purchase days (< 4): a quiet window is not partial churn.
    n = len(CUSTOMERS)
    assert churn_of(baseline_days=[3] * n, baseline_sq=[120_000.0] * n)[2] == "none"
    assert churn_of()[2] == "partial"


def test_a_quiet_season_is_not_partial_churn():
    # k3 in a season 40% as busy as the average day: N = 2.53, E = 505.8: 600 is no decline.
    assert churn_of(season=0.4)[2] == "none"
    # At 30%: only 1.9 purchases expected (< 2): the window cannot tell.
    assert churn_of(season=0.3, recent_amount=[0.0] * len(CUSTOMERS))[2] == "none"
    # A busy season makes the same window a clearer decline.
    assert churn_of(season=1.5)[2] == "partial"


def test_lifecycle_status():
    # As test_churn_type finds them (k1 … k10).
    churn = ["none", "complete", "partial", "none", "none", "none", None, "complete", "none",
             "partial"]  # fmt: skip
    got = L.lifecycle_status(
        as_of_day=AS_OF,
        first_day=column(0),
        last_day=column(1),
        prev_day=column(2),
        n_days=column(3),
        churn=churn,
        config=CFG,
    )
    assert dict(zip(CUSTOMERS, got.tolist(), strict=True)) == {
        "k1": "active",
        "k2": "lost",
        "k3": "at_risk",
        "k4": "new",
        "k5": "lapsed",
        "k6": "won_back",
        "k7": None,
        "k8": "lapsed",
        "k9": "active",
        "k10": "at_risk",
    }


def test_loyalty_ladder():
    # (n_days, first_day, qualified, referrals, nps, churn) -> stage
    cases = {
        "suspect": (0, NAN, False, 0, None, None),
        "prospect": (0, NAN, True, 0, None, None),
        "first_time": (1, 900, True, 0, None, "none"),
        "repeat": (2, 500, False, 0, None, "none"),
        "client": (5, 800, True, 0, None, "none"),  # 5 purchases over 200 days
        "advocate": (5, 800, True, 0, 9, "none"),  # a client promoter
        "repeat-short": (5, 900, True, 3, 10, "none"),  # tenure 100 < 180: not yet a client
        "repeat-lost": (6, 100, True, 3, None, "complete"),  # clients who left drop back
    }
    cols = list(zip(*cases.values(), strict=True))
    got = L.loyalty_stage(
        as_of_day=AS_OF,
        n_days=cols[0],
        first_day=cols[1],
        is_qualified=cols[2],
        referrals=cols[3],
        nps=[NAN if v is None else v for v in cols[4]],
        churn=cols[5],
        config=CFG,
    )
    assert got.tolist() == [
        "suspect",
        "prospect",
        "first_time",
        "repeat",
        "client",
        "advocate",
        "repeat",
        "repeat",
    ]


def test_cohort_retention():
    d = dt.date
    tx = pa.table(
        {
            "customer_id": ["x1", "x1", "x1", "x2", "x3", "x3", "x3"],
            "date": [
                d(2024, 1, 5),
                d(2024, 2, 10),
                d(2024, 4, 1),
                d(2024, 1, 20),
                d(2024, 2, 3),
                d(2024, 2, 25),
                d(2024, 3, 15),
            ],
            "amount": [1.0] * 7,
        }
    )
    r = P.run_pipeline({"transactions": tx}, as_of=d(2024, 4, 30))
    got = [
        (c["cohort"], c["period"], c["cohort_size"], c["active"], c["share"])
        for c in r.cohorts.to_pylist()
    ]
    # 2024-01: x1, x2 (size 2). Feb: x1; Mar: nobody; Apr: x1.
    # 2024-02: x3 (size 1). Mar: x3; Apr: nobody.
    assert got == [
        ("2024-01", 0, 2, 2, 1.0),
        ("2024-01", 1, 2, 1, 0.5),
        ("2024-01", 2, 2, 0, 0.0),
        ("2024-01", 3, 2, 1, 0.5),
        ("2024-02", 0, 1, 1, 1.0),
        ("2024-02", 1, 1, 1, 1.0),
        ("2024-02", 2, 1, 0, 0.0),
    ]


def test_pipeline_ladder_uses_customers_table():
    d = dt.date
    tables = {
        "transactions": pa.table({"customer_id": ["a"], "date": [d(2024, 1, 1)], "amount": [5.0]}),
        "customers": pa.table(
            {
                "customer_id": ["a", "s", "p"],
                "created_at": [d(2023, 1, 1)] * 3,
                "is_qualified": [True, False, True],
                "referrals": [0, 0, 0],
                "nps": [None, None, None],
            }
        ),
    }
    r = P.run_pipeline(tables, as_of=d(2024, 2, 1))
    c = {row["customer_id"]: row for row in r.customers.to_pylist()}
    assert {k: v["loyalty_stage"] for k, v in c.items()} == {
        "a": "first_time",
        "p": "prospect",
        "s": "suspect",
    }
    assert c["s"]["lifecycle_status"] is None and c["s"]["grade"] is None
    assert c["a"]["lifecycle_status"] == "new"
    assert c["a"]["clv"] is None  # one buyer: too few to fit the CLV models
    assert r.summary["clv"]["fitted"] is False


@pytest.mark.parametrize("name", ["lost", "new", "won_back", "lapsed", "at_risk", "active"])
def test_status_names_are_documented(name):
    assert f"``{name}``" in L.__doc__


def _purchases(customer: str, days: list[int], amounts: list[float], as_of: dt.date) -> list:
    return [(customer, as_of + dt.timedelta(days=d), a) for d, a in zip(days, amounts, strict=True)]


def test_pipeline_judges_partial_churn_on_the_customers_own_rhythm():
    as_of = dt.date(2024, 12, 31)
    # steady: every 73 days from day -730 (five a year) at 100, the tenth purchase at -95, then
    #   silence. The last 90 days are empty (the old rule called that partial churn), but its
    #   window is 6 × its gap so far, 730·6//10 = 438 -> 365 days: 4 purchases in it against
    #   6 (times the season) expected: not below half -> no churn.
    steady_days = [-730 + 73 * k for k in range(9)] + [-95]
    # shrinking: every 30 days at 100 until day -220, then two purchases of 50: window
    #   730·6//20 = 219 days; about 7.7 purchases expected, 2 made -> partial.
    shrink_days = [-730 + 30 * k for k in range(18)] + [-120, -60]
    shrink_amounts = [100.0] * 18 + [50.0, 50.0]
    rows = _purchases("steady", steady_days, [100.0] * 10, as_of) + _purchases(
        "shrinking", shrink_days, shrink_amounts, as_of
    )
    tx = pa.table(
        {
            "customer_id": [r[0] for r in rows],
            "date": [r[1] for r in rows],
            "amount": [r[2] for r in rows],
        }
    )
    r = P.run_pipeline({"transactions": tx}, as_of=as_of)
    c = {row["customer_id"]: row for row in r.customers.to_pylist()}
    assert c["steady"]["churn_type"] == "none"
    assert c["steady"]["lifecycle_status"] == "active"
    assert c["shrinking"]["churn_type"] == "partial"
    assert c["shrinking"]["lifecycle_status"] == "at_risk"


def test_partial_churn_inputs_window_follows_the_rhythm():
    import ibis

    daily = ibis.memtable(
        {
            "customer_id": [1, 1, 1, 2, 2, 3, 3, 3, 3],
            "day": [0, 100, 900, 500, 990, 800, 850, 900, 950],
            "amount": [10.0] * 9,
        }
    )
    activity = ibis.memtable(
        {"customer_id": [1, 2, 3], "first_day": [0, 500, 800], "n_days": [3, 2, 4]}
    )
    got = (
        L.partial_churn_inputs(daily, activity, as_of_day=1000, config=CFG)
        .to_pyarrow()
        .sort_by("customer_id")
        .to_pylist()
    )
    # 1: 1000·6//3 = 2000 -> capped at 365: window (635, 1000] holds day 900.
    # 2: 500·6//2 = 1500 -> 365 too: day 990 is recent, day 500 baseline.
    # 3: a purchase every 50 days: 200·6//4 = 300 -> (700, 1000] holds all four.
    assert [(g["pc_window"], g["pc_recent_amount"], g["pc_baseline_days"]) for g in got] == [
        (365, 10.0, 2),
        (365, 10.0, 1),
        (300, 40.0, 0),
    ]
    assert got[0]["pc_baseline_sq"] == 200.0


def test_season_factor():
    # Two years of spend: 1 a day, except 3 a day in the 30 days ending a year before as-of.
    as_of = 1000
    days = list(range(as_of - 729, as_of + 1))
    amounts = [3.0 if as_of - 395 < d <= as_of - 365 else 1.0 for d in days]
    got = L.season_factor(days, amounts, first_day=days[0], as_of_day=as_of, window=[30, 365])
    # 30 days: 3/day against (335 + 90)/365 per day; a whole year: 1 by definition.
    assert got.tolist() == pytest.approx([3 / (425 / 365), 1.0])
    # Less than two years of data: no seasonal correction.
    short = L.season_factor(days[1:], amounts[1:], first_day=days[1], as_of_day=as_of, window=[30])
    assert short.tolist() == [1.0]
