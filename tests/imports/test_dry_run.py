"""A dry run reports what would happen and stores nothing."""

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, SearchKey, Tag

from .conftest import run_import


def test_dry_run_writes_nothing(org, customers_csv):
    counts = (
        Customer.objects.count(),
        SearchKey.objects.count(),
        Tag.objects.count(),
        AuditEvent.objects.count(),
    )
    job = run_import(
        org.alice,
        "customers",
        customers_csv(
            [
                ["D-1", "新客户", "13100131000", "", "", "", "", "新标签"],
                ["", "张伟", "13800138000", "", "北京", "", "", ""],
                ["D-3", "", "", "", "", "", "", ""],
            ]
        ),
        dry_run=True,
    )
    assert job.status == "checked" and job.dry_run
    assert job.counts == {"created": 1, "updated": 1, "unchanged": 0, "failed": 1}
    assert job.row_errors.count() == 1
    assert (
        Customer.objects.count(),
        SearchKey.objects.count(),
        Tag.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert Customer.objects.get(pk=org.customer.pk).city == "上海"
