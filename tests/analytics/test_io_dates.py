"""Dates as spreadsheets and Chinese users write them: year last (day or month first, as the
column's values prove), 2024年3月4日, dotted; an order no value proves is refused, saying why."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.analytics import io


def dates(tmp_path, *values: str) -> list[dt.date]:
    path = tmp_path / "tx.csv"
    path.write_text("customer_id,date,amount\n" + "".join(f"A,{v},1\n" for v in values))
    return io.read_transactions(path)["date"].to_pylist()


def refused(tmp_path, *values: str) -> io.DataError:
    with pytest.raises(io.DataError) as info:
        dates(tmp_path, *values)
    return info.value


def test_month_first_with_times_as_us_exports_write_them(tmp_path):
    got = dates(tmp_path, "12/1/2010 8:26", "12/25/2010 17:05", "1/9/2011 9:00")
    assert got == [dt.date(2010, 12, 1), dt.date(2010, 12, 25), dt.date(2011, 1, 9)]


def test_day_first_as_european_exports_write_them(tmp_path):
    got = dates(tmp_path, "01/12/2010", "25.12.2010", "9-1-2011")
    assert got == [dt.date(2010, 12, 1), dt.date(2010, 12, 25), dt.date(2011, 1, 9)]


def test_chinese_and_dotted_year_first_dates(tmp_path):
    got = dates(tmp_path, "2024年3月4日", "2024年12月31日 10:00", "2024.3.5")
    assert got == [dt.date(2024, 3, 4), dt.date(2024, 12, 31), dt.date(2024, 3, 5)]


def test_year_first_and_year_last_in_one_column(tmp_path):
    got = dates(tmp_path, "2024-03-04", "25/12/2024")
    assert got == [dt.date(2024, 3, 4), dt.date(2024, 12, 25)]


def test_no_value_proves_the_order_so_the_rows_are_refused(tmp_path):
    err = refused(tmp_path, "03/04/2024", "05/06/2024")
    assert (err.line, err.column) == (2, "date")
    assert "day/month order unclear: no day above 12 tells which is which" in err.reason
    assert len(err.errors) == 2


def test_both_orders_in_one_column_are_refused(tmp_path):
    err = refused(tmp_path, "25/12/2024", "12/25/2024")
    assert "day/month order unclear: both orders occur" in err.reason


def test_impossible_dates_are_still_named(tmp_path):
    err = refused(tmp_path, "31/12/2024", "30/02/2024", "2024年2月30日")
    assert [(e[0], e[1]) for e in err.errors] == [(3, "date"), (4, "date")]
    assert err.reason.startswith("not a date")
