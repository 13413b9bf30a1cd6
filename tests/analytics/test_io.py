"""Reading input files: column mapping, date formats, encodings, and bad rows named by line."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kehu.analytics import io


def _write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "tx.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_column_mapping_iso_and_compact_dates(tmp_path):
    path = _write(
        tmp_path,
        "cust,day,total,cogs\nA,2024-01-05,10.5,4\nB,20240229,7,\nC,2024/3/4,1e2,50\n",
    )
    cols = io.ColumnMap(customer="cust", date="day", amount="total", cost="cogs")
    t = io.read_transactions(path, columns=cols)
    assert t.schema.names == ["customer_id", "order_id", "date", "amount", "cost"]
    assert t["customer_id"].to_pylist() == ["A", "B", "C"]
    assert t["date"].to_pylist() == [dt.date(2024, 1, 5), dt.date(2024, 2, 29), dt.date(2024, 3, 4)]
    assert t["amount"].to_pylist() == [10.5, 7.0, 100.0]
    assert t["cost"].to_pylist() == [4.0, None, 50.0]


def test_bad_rows_name_line_column_and_reason(tmp_path):
    # line 1 header, 2 ok, 3 blank (skipped), 4 bad amount, 5 bad date (Feb 30), 6 no customer,
    # 7 too few columns.
    path = _write(
        tmp_path,
        "customer_id,date,amount\nA,2024-01-05,10\n\nB,2024-01-06,ten\n"
        "C,20240230,5\n,2024-01-07,3\nD,2024-01-08\n",
    )
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path)
    err = info.value
    assert (err.line, err.column) == (4, "amount")
    assert "not a number" in err.reason and "'ten'" in err.reason
    assert [(e[0], e[1]) for e in err.errors] == [
        (4, "amount"),
        (5, "date"),
        (6, "customer_id"),
        (7, None),
    ]
    message = str(err)
    assert "line 4, column 'amount': not a number: 'ten'" in message
    assert "line 5, column 'date': not a date" in message
    assert "line 6, column 'customer_id': missing value" in message
    assert "line 7: expected 3 columns, got 2" in message


def test_many_bad_rows_are_all_counted_but_only_twenty_listed(tmp_path):
    rows = "".join(f"C{i},2024-01-01,x{i}\n" for i in range(30))
    path = _write(tmp_path, "customer_id,date,amount\n" + rows)
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path)
    assert len(info.value.errors) == 30
    assert "30 bad row value(s)" in str(info.value)
    assert "… and 10 more" in str(info.value)
    assert info.value.errors[-1][0] == 31  # the last data line


def test_gbk_file_is_detected(tmp_path):
    text = "客户,日期,金额\n张三,2024-01-05,10\n李四,20240106,12.5\n"
    path = _write(tmp_path, text, encoding="gbk")
    cols = io.ColumnMap(customer="客户", date="日期", amount="金额")
    t = io.read_transactions(path, columns=cols)
    assert t["customer_id"].to_pylist() == ["张三", "李四"]
    assert t["date"].to_pylist() == [dt.date(2024, 1, 5), dt.date(2024, 1, 6)]


def test_utf8_bom_file(tmp_path):
    path = _write(tmp_path, "\ufeffcustomer_id,date,amount\n王五,2024-01-05,1\n")
    assert io.read_transactions(path)["customer_id"].to_pylist() == ["王五"]


def test_cdnow_preset(cdnow_path):
    t = io.read_transactions(cdnow_path, format="cdnow")
    assert t.num_rows == 6919
    first = t.slice(0, 1).to_pylist()[0]
    assert first["customer_id"] == "00004"
    assert first["date"] == dt.date(1997, 1, 1)
    assert first["amount"] == pytest.approx(29.33)


def test_whitespace_file_bad_row_line(tmp_path):
    path = tmp_path / "cd.txt"
    path.write_text(" 00001 0001 19970101  1   10.00\n 00002 0002 1997013x  1   5.00\n")
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path, format="cdnow")
    assert (info.value.line, info.value.column) == (2, "date")


def test_parquet_typed_and_string_columns(tmp_path):
    path = tmp_path / "tx.parquet"
    pq.write_table(
        pa.table(
            {
                "customer_id": [1, 2],
                "date": ["2024-01-01", "bad"],
                "amount": [1.0, 2.0],
            }
        ),
        path,
    )
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path)
    assert (info.value.line, info.value.column) == (2, "date")
    good = tmp_path / "ok.parquet"
    pq.write_table(
        pa.table(
            {
                "customer_id": [1, 2],
                "date": pa.array([dt.date(2024, 1, 1), dt.date(2024, 1, 2)]),
                "amount": [1, 2],
            }
        ),
        good,
    )
    t = io.read_transactions(good)
    assert t["customer_id"].to_pylist() == ["1", "2"]
    assert t["amount"].type == pa.float64()


def test_other_tables_and_write_round_trip(tmp_path):
    path = tmp_path / "rc.csv"
    path.write_text(
        "customer_id,invoice_id,due_date,paid_date,amount,written_off\n"
        "A,i1,2024-01-31,,100,\nB,i2,2024-02-29,2024-02-20,50,0\n"
    )
    t = io.read_table(path, "receivables")
    assert t["paid_date"].to_pylist() == [None, dt.date(2024, 2, 20)]
    cu = tmp_path / "cu.csv"
    cu.write_text("customer_id,created_at,is_qualified,referrals,nps\nA,2024-01-01,yes,2,9\n")
    c = io.read_table(cu, "customers")
    assert c.to_pylist()[0]["is_qualified"] is True
    for ext in ("parquet", "csv", "arrow"):
        out = io.write_table(t, tmp_path / f"out.{ext}")
        back = io.read_table(out, "receivables")
        assert back.to_pylist() == t.to_pylist()


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_a_semicolon_tab_or_bar_separated_file(tmp_path, sep):
    path = _write(
        tmp_path,
        f"customer_id{sep}date{sep}amount\nA{sep}2024-01-05{sep}10.5\n",
    )
    t = io.read_transactions(path)
    assert t["customer_id"].to_pylist() == ["A"] and t["amount"].to_pylist() == [10.5]
