"""Importing the same file twice changes nothing the second time: no rows, no audit."""

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, OwnerHistory, SearchKey

from .conftest import run_import


def test_reimport_changes_nothing(org, customers_csv):
    rows = [
        ["R-1", "钱进", "13300133000", "qian@example.com", "南京", "1970-01-01", "男", "VIP"],
        ["", "只有手机", "13300133001", "", "", "", "", ""],
        ["", "只有邮箱", "", "only@example.com", "", "", "", ""],
        ["", "什么都没有", "", "", "苏州", "", "", ""],
    ]
    first = run_import(org.alice, "customers", customers_csv(rows))
    assert first.counts == {"created": 4, "updated": 0, "unchanged": 0, "failed": 0}
    before = (
        Customer.objects.count(),
        SearchKey.objects.count(),
        OwnerHistory.objects.count(),
        AuditEvent.objects.count(),
    )
    second = run_import(org.alice, "customers", customers_csv(rows, name="again.csv"))
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 4, "failed": 0}
    after = (
        Customer.objects.count(),
        SearchKey.objects.count(),
        OwnerHistory.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_same_key_twice_in_one_file_is_reported(org, customers_csv):
    job = run_import(
        org.alice,
        "customers",
        customers_csv(
            [
                ["", "甲", "13300133005", "", "", "", "", ""],
                ["", "乙", "133 0013 3005", "", "", "", "", ""],
            ]
        ),
    )
    assert job.counts["created"] == 1 and job.failed == 1
    error = job.row_errors.get()
    assert error.row_number == 3 and error.problems[0]["field"] == "phone"
    assert "2" in error.problems[0]["reason"]
