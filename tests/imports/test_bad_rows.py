"""Bad rows mixed with good: the good are stored, each bad one is reported with its row
number, field and reason, and the error file can be fixed and imported again."""

import csv
import io

from kehu.customers.models import Customer
from kehu.imports import selectors

from .conftest import CUSTOMER_HEADERS, run_import, write_csv


def test_bad_rows_reported_and_reimportable(org, customers_csv, tmp_path):
    path = customers_csv(
        [
            ["E-1", "好人", "13500135000", "", "", "", "", ""],
            ["E-2", "坏电话", "12345", "", "", "", "", ""],
            ["E-3", "", "13500135002", "", "", "", "", ""],
            ["E-4", "坏邮箱", "", "not-an-email", "", "3000-01-01", "", ""],
            ["E-5", "也是好人", "13500135004", "", "", "", "", ""],
        ]
    )
    job = run_import(org.alice, "customers", path)
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 3}
    assert set(
        Customer.objects.filter(external_id__startswith="E-").values_list("external_id", flat=True)
    ) == {"E-1", "E-5"}
    reported = {(e.row_number, p["field"]) for e in selectors.error_rows(job) for p in e.problems}
    # Header is row 1, so the third data row is row 4.
    assert reported == {(3, "phone"), (4, "name"), (5, "email"), (5, "birthday")}
    first = selectors.error_rows(job).get(row_number=3)
    assert first.problems[0]["column"] == "手机" and "12345" in first.problems[0]["reason"]

    content, content_type, name = selectors.error_file(job, "csv")
    assert name.endswith(".csv") and content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0] == [*CUSTOMER_HEADERS, selectors.ERROR_COLUMN]
    assert [r[0] for r in table[1:]] == ["E-2", "E-3", "E-4"]
    assert "Row 3" in table[1][-1] or "第" in table[1][-1] or "3" in table[1][-1]

    # Fix the rows in the downloaded file and import it again: the error column is ignored.
    fixed = [table[0]]
    for row in table[1:]:
        row = list(row)
        if row[0] == "E-2":
            row[2] = "13500135001"
        if row[0] == "E-3":
            row[1] = "补上名字"
        if row[0] == "E-4":
            row[3], row[5] = "ok@example.com", "1980-01-01"
        fixed.append(row)
    again = run_import(org.alice, "customers", write_csv(tmp_path / "fixed.csv", fixed))
    assert again.counts == {"created": 3, "updated": 0, "unchanged": 0, "failed": 0}
    assert again.mapping[selectors.ERROR_COLUMN] == ""
    assert Customer.objects.filter(external_id__startswith="E-").count() == 5

    xlsx, xlsx_type, xlsx_name = selectors.error_file(job, "xlsx")
    assert xlsx_name.endswith(".xlsx") and xlsx[:2] == b"PK"
