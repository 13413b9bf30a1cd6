"""A purchase log as an Excel workbook: sheets with the first sheet's header are read as one
log (a year per sheet is common), other sheets are not mixed in; typed dates and ids read as
the user sees them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kehu.analytics import io


def test_sheets_with_the_same_header_are_one_log(tmp_path):
    path = tmp_path / "log.xlsx"
    first = pd.DataFrame(
        {
            "Customer ID": [17850.0, None],
            "InvoiceDate": [dt.datetime(2010, 12, 1, 8, 26), dt.datetime(2010, 12, 2, 9, 0)],
            "Amount": [15.3, 2.0],
        }
    )
    second = pd.DataFrame(
        {"Customer ID": [13047], "InvoiceDate": ["12/25/2011 10:00"], "Amount": [-4.5]}
    )
    notes = pd.DataFrame({"what": ["prices are in GBP"]})
    with pd.ExcelWriter(path) as writer:
        first.to_excel(writer, sheet_name="Year 2010", index=False)
        notes.to_excel(writer, sheet_name="Notes", index=False)
        second.to_excel(writer, sheet_name="Year 2011", index=False)
    counted: list[int] = []
    cols = io.ColumnMap(customer="Customer ID", date="InvoiceDate", amount="Amount")
    t = io.read_transactions(path, columns=cols, on_anonymous=counted.append)
    assert t["customer_id"].to_pylist() == ["17850", "13047"]
    assert t["date"].to_pylist() == [dt.date(2010, 12, 1), dt.date(2011, 12, 25)]
    assert t["amount"].to_pylist() == [15.3, -4.5]
    assert counted == [1]


def test_a_bad_cell_is_named_by_its_row(tmp_path):
    path = tmp_path / "log.xlsx"
    frame = pd.DataFrame(
        {"customer_id": ["A", "B"], "date": ["2024-01-01", "soon"], "amount": [1, 2]}
    )
    frame.to_excel(path, index=False)
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path)
    assert (info.value.line, info.value.column) == (3, "date")
