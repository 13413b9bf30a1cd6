"""Value figures on hand-made tables; every expected number is worked out in the comments."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from kehu.analytics import engines as E
from kehu.analytics import pipeline as P
from kehu.analytics import value as V

D = dt.date
AS_OF = D(2024, 6, 30)
COSTS = V.ValueConfig(
    unit_cost={"phone": 5.0, "visit": 80.0, "email": 1.0, "ticket": 20.0},
    cost_per_minute={"phone": 1.0},
    default_unit_cost=0.0,
    overdue_days=90,
)


def value_tables() -> dict[str, pa.Table]:
    tx = [
        # A: revenue 600 + 400 = 1000, cogs 300 + 200 = 500
        ("A", "o1", D(2024, 1, 10), 600.0, 300.0),
        ("A", "o2", D(2024, 5, 10), 400.0, 200.0),
        ("B", "o3", D(2024, 3, 1), 500.0, 250.0),  # B: 500 / 250
        ("C", "o4", D(2024, 2, 1), 300.0, 100.0),  # C: 300 / 100
        ("D", "o5", D(2024, 4, 1), 200.0, 250.0),  # D: 200 / 250, margin -50
        ("E", "o6", D(2024, 4, 2), 100.0, 40.0),  # E: 100 / 40
        ("A", "o7", D(2024, 7, 1), 999.0, 0.0),  # after the as-of date: ignored
    ]
    ev = [
        ("A", D(2024, 2, 1), "phone", 10.0),  # 5 + 10 × 1 = 15
        ("A", D(2024, 3, 1), "phone", 10.0),  # 15 -> A: 30
        ("B", D(2024, 3, 2), "visit", None),  # 80
        ("B", D(2024, 3, 3), "visit", None),  # 80
        ("B", D(2024, 3, 4), "visit", 30.0),  # 80 (no per-minute cost for visits) -> B: 240
        ("D", D(2024, 4, 3), "email", None),  # 1 -> D: 1
        ("E", D(2024, 4, 3), "ticket", None),  # 20 × 4 -> E: 80
        ("E", D(2024, 4, 4), "ticket", None),
        ("E", D(2024, 4, 5), "ticket", None),
        ("E", D(2024, 4, 6), "ticket", None),
        ("E", D(2024, 4, 7), "fax", 99.0),  # unknown kind: default 0
    ]
    rc = [
        ("A", "i1", D(2024, 2, 10), D(2024, 2, 9), 600.0, 0.0),  # paid on time
        ("C", "i2", D(2024, 3, 1), None, 300.0, 0.0),  # unpaid, 121 days overdue -> 300
        ("B", "i3", D(2024, 5, 1), None, 500.0, 0.0),  # unpaid, 60 days overdue -> not yet
        ("D", "i4", D(2024, 8, 1), None, 200.0, 0.0),  # not due yet
    ]
    return {
        "transactions": _table(["customer_id", "order_id", "date", "amount", "cost"], tx),
        "service_events": _table(["customer_id", "date", "kind", "minutes"], ev),
        "receivables": _table(
            ["customer_id", "invoice_id", "due_date", "paid_date", "amount", "written_off"], rc
        ),
    }


def _table(names: list[str], rows: list[tuple]) -> pa.Table:
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


@pytest.fixture(scope="module")
def result():
    cfg = P.PipelineConfig(value=COSTS)
    return P.run_pipeline(value_tables(), as_of=AS_OF, config=cfg)


def rows(table: pa.Table) -> dict[str, dict]:
    return {r["customer_id"]: r for r in table.to_pylist()}


def test_profit_components(result):
    c = rows(result.customers)
    # (revenue, cogs, cost_to_serve, bad_debt, profit)
    expected = {
        "A": (1000, 500, 30, 0, 470),
        "B": (500, 250, 240, 0, 10),
        "C": (300, 100, 0, 300, -100),
        "D": (200, 250, 1, 0, -51),
        "E": (100, 40, 80, 0, -20),
    }
    for cid, (rev, cogs, cts, bad, profit) in expected.items():
        got = c[cid]
        assert (got["revenue"], got["cogs"], got["cost_to_serve"], got["bad_debt"]) == (
            rev,
            cogs,
            cts,
            bad,
        ), cid
        assert got["profit"] == pytest.approx(profit), cid


def test_loss_reasons(result):
    c = rows(result.customers)
    assert c["A"]["loss_reason"] is None and c["B"]["loss_reason"] is None
    assert c["C"]["loss_reason"] == "bad_debt"  # 300 bad debt
    assert c["D"]["loss_reason"] == "negative_margin"  # margin -50 vs 1 service
    assert c["E"]["loss_reason"] == "cost_to_serve"  # 80 service, margin +60


def test_whale_curve(result):
    # Ranked: A 470, B 10, E -20, D -51, C -100; total 309.
    # Cumulative: 470, 480, 460, 409, 309 -> 152.10%, 155.34%, 148.87%, 132.36%, 100%.
    w = result.whale.to_pylist()
    assert [r["customer_id"] for r in w] == ["A", "B", "E", "D", "C"]
    assert [r["cumulative_profit"] for r in w] == pytest.approx([470, 480, 460, 409, 309])
    pct = [r["cumulative_profit_pct"] for r in w]
    assert pct == pytest.approx(
        [470 / 309 * 100, 480 / 309 * 100, 460 / 309 * 100, 409 / 309 * 100, 100]
    )
    s = result.summary["whale"]
    assert s["total_profit"] == pytest.approx(309)
    assert s["share_making_100pct"] == pytest.approx(0.2)  # A alone makes 152%
    assert s["peak_pct"] == pytest.approx(480 / 309 * 100)  # 155.3%
    assert s["peak_share"] == pytest.approx(0.4)
    assert s["top20_pct"] == pytest.approx(470 / 309 * 100)
    assert s["loss_makers"] == 3
    assert s["loss_total"] == pytest.approx(171)


def test_missing_optional_tables_count_as_zero():
    tables = {"transactions": value_tables()["transactions"]}
    r = P.run_pipeline(tables, as_of=AS_OF)
    c = rows(r.customers)
    assert c["E"]["cost_to_serve"] == 0 and c["C"]["bad_debt"] == 0
    assert c["A"]["profit"] == 500
    assert c["D"]["loss_reason"] == "negative_margin"


IDS = ["p1", "p2", "p3", "p4", "p5"]
PROFITS = [50.0, 30.0, 15.0, 5.0, -10.0]


def test_grades_abc_by_cumulative_share():
    # Positive profit 100; shares reached before each: 0, .50, .80, .95 -> A, A, B, C; loss -> C.
    assert V.grades(IDS, PROFITS, V.ValueConfig()).tolist() == ["A", "A", "B", "C", "C"]


def test_grades_absolute_and_order_independent():
    cfg = V.ValueConfig(grade_min_profit=(30, 10))
    assert V.grades(IDS, PROFITS, cfg).tolist() == ["A", "A", "B", "C", "C"]
    shuffled = [2, 4, 0, 3, 1]
    got = V.grades([IDS[i] for i in shuffled], [PROFITS[i] for i in shuffled], V.ValueConfig())
    assert got.tolist() == ["B", "C", "A", "C", "A"]


def test_tiers():
    # Rank positions 0, .2, .4, .6, .8 against cut-offs .2/.4/.6.
    cfg = V.ValueConfig(tier_cuts=(0.2, 0.4, 0.6))
    assert V.tiers(IDS, PROFITS, cfg).tolist() == ["key", "major", "ordinary", "small", "small"]
    # Default pyramid 1%/5%/20%: of five customers only the first (position 0) is above small.
    assert V.tiers(IDS, PROFITS, V.ValueConfig()).tolist() == ["key"] + ["small"] * 4
    absolute = V.ValueConfig(tier_min_profit=(40, 20, 10))
    assert V.tiers(IDS, PROFITS, absolute).tolist() == [
        "key",
        "major",
        "ordinary",
        "small",
        "small",
    ]


def test_ties_in_profit_are_broken_by_customer_id():
    assert V.tiers(["b", "a"], [10.0, 10.0], V.ValueConfig(tier_cuts=(0.5, 0.6, 0.7))).tolist() == [
        "major",
        "key",
    ]


def test_core_flag():
    cfg = V.ValueConfig(core_top_revenue_share=0.4)
    ids = ["c1", "c2", "c3", "c4", "c5"]
    revenue = [1000, 800, 600, 400, 0]
    # c1: large (position 0 < .4), on time 100%, service 10/1000 = 1%, tenure 400 days -> core.
    # c2: large (position .2) but pays on time only half the time -> not core.
    # c3: everything fine except it is not large (position .4) -> not core.
    # c4: not large.  c5: no revenue.
    flags = V.core_flags(
        ids,
        revenue=revenue,
        cost_to_serve=[10, 8, 6, 4, 0],
        on_time_share=[1.0, 0.5, 1.0, 1.0, 1.0],
        tenure_days=[400, 400, 400, 400, 400],
        config=cfg,
    )
    assert flags.tolist() == [True, False, False, False, False]
    # c1 variants: too much service (100/1000 = 10% > 5%), too short (100 < 365 days), no invoices.
    assert not V.core_flags(
        ids,
        revenue=revenue,
        cost_to_serve=[100, 8, 6, 4, 0],
        on_time_share=[1.0] * 5,
        tenure_days=[400] * 5,
        config=cfg,
    )[0]
    assert not V.core_flags(
        ids,
        revenue=revenue,
        cost_to_serve=[10, 8, 6, 4, 0],
        on_time_share=[1.0] * 5,
        tenure_days=[100] * 5,
        config=cfg,
    )[0]
    assert V.core_flags(
        ids,
        revenue=revenue,
        cost_to_serve=[10, 8, 6, 4, 0],
        on_time_share=[float("nan")] * 5,
        tenure_days=[400] * 5,
        config=cfg,
    )[0]


def test_core_flag_in_pipeline(result):
    # A: revenue 1000 of 5 buyers (top 20% = position 0 only), invoice paid the day before due,
    # service 30/1000 = 3%, but tenure 2024-01-10 .. 06-30 = 172 days < 365 -> not core;
    # with a 100-day minimum it is core.
    assert rows(result.customers)["A"]["is_core"] is False
    cfg = P.PipelineConfig(value=V.ValueConfig(**{**COSTS.__dict__, "core_min_tenure_days": 100}))
    r = P.run_pipeline(value_tables(), as_of=AS_OF, config=cfg)
    assert [c for c, row in rows(r.customers).items() if row["is_core"]] == ["A"]


def test_rfm_scores_and_segments():
    # last_day ranks 0..4 -> R = 1..5; n_days 1,1,2,3,5 -> RANK 0,0,2,3,4 -> F = 1,1,3,4,5;
    # revenue ranks 0..4 -> M = 1..5.
    activity = pa.table(
        {
            "customer_id": ["u1", "u2", "u3", "u4", "u5"],
            "last_day": pa.array([100, 200, 300, 400, 500], pa.int32()),
            "n_days": [1, 1, 2, 3, 5],
            "revenue": [10.0, 20.0, 30.0, 40.0, 50.0],
        }
    )
    with E.Engine("duckdb") as eng:
        got = eng.to_arrow(V.rfm_scores(eng.register(activity))).sort_by("customer_id")
    r = got.to_pydict()
    assert r["rfm_r"] == [1, 2, 3, 4, 5]
    assert r["rfm_f"] == [1, 1, 3, 4, 5]
    assert r["rfm_m"] == [1, 2, 3, 4, 5]
    assert r["rfm_score"] == [111, 212, 333, 444, 555]
    segments = V.rfm_segment(r["rfm_r"], r["rfm_f"]).tolist()
    assert segments == ["lost", "hibernating", "loyal", "champions", "champions"]


def test_rfm_segment_grid():
    cells = [(5, 1), (4, 2), (2, 5), (1, 3), (3, 2), (1, 1), (3, 5), (5, 5)]
    assert V.rfm_segment(*zip(*cells, strict=True)).tolist() == [
        "new",
        "potential",
        "cant_lose",
        "at_risk",
        "hibernating",
        "lost",
        "loyal",
        "champions",
    ]
    # Every one of the 25 cells gets a segment.
    r, f = zip(*[(i, j) for i in range(1, 6) for j in range(1, 6)], strict=True)
    assert None not in V.rfm_segment(r, f).tolist()


def test_prospects_are_not_loss_makers():
    # P never bought and was never billed: its two phone calls (15 + 25) are acquisition cost,
    # not a loss. Q bought before the value window and cost a call inside it: a customer
    # whose window lost money. R only has an invoice (due, unpaid 121 days): a customer.
    tables = value_tables()
    ev = tables["service_events"].to_pylist() + [
        {"customer_id": "P", "date": D(2024, 5, 1), "kind": "phone", "minutes": 10.0},
        {"customer_id": "P", "date": D(2024, 5, 2), "kind": "phone", "minutes": 20.0},
        {"customer_id": "Q", "date": D(2024, 6, 1), "kind": "phone", "minutes": 5.0},
    ]
    tx = tables["transactions"].to_pylist() + [
        {"customer_id": "Q", "order_id": "q1", "date": D(2023, 1, 5), "amount": 50.0, "cost": 0.0}
    ]
    rc = tables["receivables"].to_pylist() + [
        {
            "customer_id": "R",
            "invoice_id": "r1",
            "due_date": D(2024, 3, 1),
            "paid_date": None,
            "amount": 80.0,
            "written_off": 0.0,
        }  # fmt: skip
    ]
    tables |= {
        "service_events": pa.Table.from_pylist(ev, tables["service_events"].schema),
        "transactions": pa.Table.from_pylist(tx, tables["transactions"].schema),
        "receivables": pa.Table.from_pylist(rc, tables["receivables"].schema),
    }
    cfg = P.PipelineConfig(value=V.ValueConfig(**{**COSTS.__dict__, "window_days": 365}))
    r = P.run_pipeline(tables, as_of=AS_OF, config=cfg)
    c = rows(r.customers)
    assert c["P"]["cost_to_serve"] == 40
    assert c["P"]["profit"] == 0 and c["P"]["loss_reason"] is None
    assert c["P"]["grade"] is None and c["P"]["tier"] is None
    assert c["Q"]["profit"] == -10 and c["Q"]["loss_reason"] == "cost_to_serve"
    assert c["R"]["profit"] == -80 and c["R"]["loss_reason"] == "bad_debt"
    ranked = [w["customer_id"] for w in r.whale.to_pylist()]
    assert "P" not in ranked and {"Q", "R"} <= set(ranked)
    # C, D, E (as in test_loss_reasons), Q and R lose money; P does not count.
    assert r.summary["whale"]["loss_makers"] == 5
    assert r.summary["prospects"] == 1 and r.summary["acquisition_cost"] == 40
