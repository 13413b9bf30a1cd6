"""A purchase log's rows without a customer id (a shop's guest sales): refused by default,
left out and counted when the caller asks (the purchase-log commands do, and say how many);
the other rows' problems are still named by their own line."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kehu.analytics import io

LOG = "customer_id,date,amount\nA,2024-01-05,10\n,2024-01-06,4\n  ,2024-01-06,4\nB,2024-01-07,7\n"


def test_left_out_and_counted_when_asked(tmp_path):
    path = tmp_path / "tx.csv"
    path.write_text(LOG)
    counted: list[int] = []
    t = io.read_transactions(path, on_anonymous=counted.append)
    assert t["customer_id"].to_pylist() == ["A", "B"]
    assert t["date"].to_pylist() == [dt.date(2024, 1, 5), dt.date(2024, 1, 7)]
    assert counted == [2]


def test_refused_when_not_asked(tmp_path):
    path = tmp_path / "tx.csv"
    path.write_text(LOG)
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path)
    assert [(e[0], e[1]) for e in info.value.errors] == [(3, "customer_id"), (4, "customer_id")]


def test_other_bad_rows_keep_their_own_line_numbers(tmp_path):
    path = tmp_path / "tx.csv"
    path.write_text(LOG + "\nC,2024-01-08,ten\n,2024-01-09,1\nD,not-a-day,1\n")
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path, on_anonymous=lambda n: None)
    assert [(e[0], e[1]) for e in info.value.errors] == [(7, "amount"), (9, "date")]


def test_nothing_to_leave_out_calls_nobody(tmp_path):
    path = tmp_path / "tx.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-05,10\n")
    counted: list[int] = []
    io.read_transactions(path, on_anonymous=counted.append)
    assert counted == []


def test_parquet_nulls_are_left_out_too(tmp_path):
    path = tmp_path / "tx.parquet"
    pq.write_table(
        pa.table(
            {
                "customer_id": pa.array([17850, None, 13047], pa.int64()),
                "date": pa.array([dt.date(2024, 1, d) for d in (1, 2, 3)]),
                "amount": [1.0, 2.0, 3.0],
            }
        ),
        path,
    )
    counted: list[int] = []
    t = io.read_transactions(path, on_anonymous=counted.append)
    assert t["customer_id"].to_pylist() == ["17850", "13047"]
    assert counted == [1]
