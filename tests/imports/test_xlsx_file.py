"""An Excel workbook: numbers typed as numbers (phones) and real dates are read right."""

import datetime as dt

from kehu.customers.models import Customer

from .conftest import CUSTOMER_HEADERS, run_import, write_xlsx


def test_xlsx(org, tmp_path):
    path = write_xlsx(
        tmp_path / "customers.xlsx",
        [
            CUSTOMER_HEADERS,
            [
                "X-1",
                "孙丽",
                13600136000,
                "sun@example.com",
                "深圳",
                dt.datetime(1990, 5, 6),
                "女",
                "VIP",
            ],
            [],
            ["X-2", "周强", "136-0013-6001", None, "深圳", "1991/07/08", "男", None],
        ],
    )
    job = run_import(org.alice, "customers", path)
    assert job.file_format == "xlsx" and job.counts["created"] == 2 and job.failed == 0
    a = Customer.objects.get(external_id="X-1")
    assert a.phone == "+8613600136000" and a.birthday == dt.date(1990, 5, 6)
    b = Customer.objects.get(external_id="X-2")
    assert b.phone == "+8613600136001" and b.birthday == dt.date(1991, 7, 8) and b.gender == "M"
