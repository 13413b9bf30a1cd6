"""Churn type, lifecycle status, loyalty ladder and cohorts on hand-made customers.

Days are plain day numbers; as-of is day 1000. Defaults: complete churn after 3 × ipt, lapsed
after 2 ×, at risk after 1.5 ×, gaps never below 30 days; recent window 90 days (910, 1000].
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

# Repeat buyers' ipt: k1 (990-400)/10 = 59, k2 400/4 = 100, k3 760/9 = 84.4, k5 490/5 = 98,
# k6 880/3 = 293.3 -> population median 98 (used for the one-time buyer k4).
CUSTOMERS = {
    #      first, last, prev, n, recent_amount, baseline_amount, baseline_days
    # k1: buys every ~59 days, last 10 days ago; recent 200/90 = 2.2/day vs baseline
    #     900/(910-400) = 1.76/day -> no churn; gap before last 60 < 2 × 58.9 -> active.
    "k1": (400, 990, 930, 11, 200.0, 900.0, 9),
    # k2: ipt 100, silent 500 days > 300 -> complete churn -> lost.
    "k2": (100, 500, 400, 5, 0.0, 500.0, 5),
    # k3: ipt 84.4, last 40 days ago (< 1.5 × 84.4 = 126.7); baseline 1800/710 = 2.54/day,
    #     recent 50/90 = 0.56/day < half -> partial churn -> at risk.
    "k3": (200, 960, 900, 10, 50.0, 1800.0, 9),
    # k4: one purchase 50 days ago; ipt = median 98 -> no churn (50 < 294); new (50 <= 90).
    "k4": (950, 950, NAN, 1, 100.0, 0.0, 0),
    # k5: ipt 98, silent 210 days > 2 × 98 = 196 but < 294 -> lapsed; nothing bought in the
    #     window with 6 baseline purchase days -> partial churn (lapsed wins over at risk).
    "k5": (300, 790, 700, 6, 0.0, 600.0, 6),
    # k6: days 100, 200, 300, 980: ipt before the last purchase (300-100)/2 = 100, gap 680 >
    #     200 and last purchase 20 days ago -> won back. Baseline 300/810 = 0.37/day, recent
    #     100/90 = 1.1 -> no churn.
    "k6": (100, 980, 300, 4, 100.0, 300.0, 3),
    # k7: never bought.
    "k7": (NAN, NAN, NAN, 0, 0.0, 0.0, 0),
}


def column(i: int) -> list:
    return [v[i] for v in CUSTOMERS.values()]


def test_churn_type():
    got = L.churn_type(
        as_of_day=AS_OF,
        first_day=column(0),
        last_day=column(1),
        n_days=column(3),
        recent_amount=column(4),
        baseline_amount=column(5),
        baseline_days=column(6),
        config=CFG,
    )
    assert dict(zip(CUSTOMERS, got.tolist(), strict=True)) == {
        "k1": "none",
        "k2": "complete",
        "k3": "partial",
        "k4": "none",
        "k5": "partial",
        "k6": "none",
        "k7": None,
    }


def test_low_p_alive_is_complete_churn():
    got = L.churn_type(
        as_of_day=AS_OF,
        first_day=[400, 400],
        last_day=[990, 990],
        n_days=[11, 11],
        recent_amount=[200.0, 200.0],
        baseline_amount=[900.0, 900.0],
        baseline_days=[9, 9],
        p_alive=[0.05, 0.5],
        config=CFG,
    )
    assert got.tolist() == ["complete", "none"]


def test_partial_churn_needs_a_baseline():
    # Only 2 baseline purchase days (< 3): a quiet window is not partial churn.
    got = L.churn_type(
        as_of_day=AS_OF,
        first_day=[700],
        last_day=[900],
        n_days=[2],
        recent_amount=[0.0],
        baseline_amount=[100.0],
        baseline_days=[2],
        config=CFG,
    )
    assert got.tolist() == ["none"]


def test_lifecycle_status():
    churn = ["none", "complete", "partial", "none", "partial", "none", None]
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
