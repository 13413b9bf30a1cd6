"""Returns are not purchases: rows with a negative amount (credit notes, cancelled orders)
change neither a score nor a label, and a customer who only returned something is not scored;
``kehu churn activity`` reads a shop's export as it comes (guest sales, month-first dates)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kehu.analytics.churn import cli
from kehu.analytics.churn.activity import ActivityModel
from kehu.analytics.churn.backtest import backtest_activity

CAL, END = dt.date(2024, 6, 30), dt.date(2024, 9, 30)


def with_returns(purchases: pa.Table) -> pa.Table:
    """The log plus a return two days after every tenth purchase (some land after ``CAL``,
    inside the label window), and one customer whose only rows are returns."""
    picked = purchases.take(pa.array(range(0, purchases.num_rows, 10)))
    days = [d + dt.timedelta(days=2) for d in picked["date"].to_pylist()] + [CAL]
    n = len(days)
    returns = pa.table(
        {
            "customer_id": picked["customer_id"].to_pylist() + ["only-returns"],
            "order_id": pa.nulls(n, pa.string()),
            "date": days,
            "amount": [-5.0] * n,
            "cost": pa.nulls(n, pa.float64()),
        },
        schema=purchases.schema,
    )
    return pa.concat_tables([purchases, returns])


def test_returns_change_no_score(purchases):
    plain = ActivityModel(n_jobs=1).fit(purchases, calibration_end=CAL, horizon_end=END)
    mixed = ActivityModel(n_jobs=1).fit(
        with_returns(purchases), calibration_end=CAL, horizon_end=END
    )
    assert "only-returns" not in set(mixed.scores_["id"])
    assert mixed.scores_["id"].tolist() == plain.scores_["id"].tolist()
    for column in ("churn_probability", "p_alive", "expected_purchases"):
        assert mixed.scores_[column].to_numpy() == pytest.approx(plain.scores_[column].to_numpy())


def test_a_return_is_not_the_purchase_that_makes_a_backtest_label(purchases):
    plain = backtest_activity(purchases, months=1, horizon_days=60, n_jobs=1)
    mixed = backtest_activity(with_returns(purchases), months=1, horizon_days=60, n_jobs=1)
    assert [r["auc"] for r in mixed] == pytest.approx([r["auc"] for r in plain])
    assert [r["base_rate"] for r in mixed] == pytest.approx([r["base_rate"] for r in plain])


def test_the_command_reads_a_shop_export_as_it_comes(purchases, tmp_path, capsys):
    known = purchases.filter(pc.less_equal(purchases["date"], pa.scalar(END)))
    lines = ["Invoice,Customer ID,InvoiceDate,Amount"]
    for i, (cid, day, amount) in enumerate(
        zip(*(known[c].to_pylist() for c in ("customer_id", "date", "amount")), strict=True)
    ):
        lines.append(f"{536365 + i},{cid},{day.month}/{day.day}/{day.year} 8:26,{amount}")
    lines += [f"{999000 + i},,6/{1 + i}/2024 10:00,12.5" for i in range(3)]  # guest sales
    export = tmp_path / "export.csv"
    export.write_text("\n".join(lines) + "\n")
    out = tmp_path / "scores.csv"
    argv = ["--transactions", str(export), "--customer-col", "Customer ID"]
    argv += ["--date-col", "InvoiceDate", "--amount-col", "Amount", "--output", str(out)]
    code = cli.activity_main(
        [*argv, "--calibration-end", str(CAL), "--horizon-end", str(END), "--n-jobs", "1"]
    )
    err = capsys.readouterr().err
    assert code == 0, err
    assert err.strip() == "note: 3 row(s) without a customer id left out"
    plain = ActivityModel(n_jobs=1).fit(purchases, calibration_end=CAL, horizon_end=END)
    scored = out.read_text().splitlines()
    assert len(scored) == 1 + len(plain.scores_)
