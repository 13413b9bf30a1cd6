"""The CDNOW files as they are published: the sample's five columns, the master file's four,
with or without a header line; a bad row is still named by its line."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.analytics import io

SAMPLE = "   00004   0001 19970101  2   29.33\n   00004   0001 19970118  2   29.73\n"
MASTER = "   00001  19970101  1   11.77\n   00002  19970112  1   12.00\n"
HEADER = " customer_id  date number_of_cds  dollar_value\n"


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        (SAMPLE, ["00004", "00004"]),
        (MASTER, ["00001", "00002"]),
        (HEADER + MASTER, ["00001", "00002"]),
    ],
)
def test_the_published_layouts(tmp_path, text, ids):
    path = tmp_path / "cdnow.txt"
    path.write_text(text)
    t = io.read_transactions(path, format="cdnow")
    assert t["customer_id"].to_pylist() == ids
    assert t["date"].to_pylist()[0] == dt.date(1997, 1, 1)
    assert t["amount"].to_pylist()[0] in (29.33, 11.77)


def test_a_bad_row_after_a_header_is_named_by_its_line(tmp_path):
    path = tmp_path / "cdnow.txt"
    path.write_text(HEADER + MASTER + "   00003  19971340  1   5.00\n")
    with pytest.raises(io.DataError) as info:
        io.read_transactions(path, format="cdnow")
    assert (info.value.line, info.value.column) == (4, "date")
