"""A dry run says nothing about customers the importer cannot see: a phone held by a hidden
customer gets the same words as a phone nobody holds (issue #9)."""

from django.utils.translation import override

from kehu.customers.models import Customer
from kehu.imports.records import NO_CUSTOMER

from .conftest import run_import, write_csv

HEADERS = ["客户", "时间", "渠道", "主题"]


def _in(language, message):
    with override(language):
        return message()


def _reasons(job):
    return {e.row_number: e.problems[0]["reason"] for e in job.row_errors.all()}


def test_hidden_and_unknown_customers_read_the_same(org, tmp_path):
    # org.customer (13800138000) is alice's, in North; charlie is in South.
    rows = [
        HEADERS,
        ["13800138000", "2024-03-01 10:00", "电话", "a"],
        ["13800138999", "2024-03-01 10:00", "电话", "b"],
        ["zhang.wei@example.com", "2024-03-01 10:00", "电话", "c"],
    ]
    job = run_import(org.charlie, "interactions", write_csv(tmp_path / "i.csv", rows), dry_run=True)
    reasons = _reasons(job)
    assert reasons[2] == reasons[3] == reasons[4]
    # The words a missing customer gets: nothing says one exists that charlie can't see.
    assert reasons[2] in {_in(lang, NO_CUSTOMER) for lang in ("en", "zh-hans")}


def test_two_holders_one_hidden_is_not_ambiguous_to_an_outsider(org, tmp_path):
    Customer.objects.create(name="另一个", phone="+8613800138000", owner=org.charlie)
    rows = [HEADERS, ["13800138000", "2024-03-01 10:00", "电话", "a"]]
    job = run_import(org.charlie, "interactions", write_csv(tmp_path / "i.csv", rows))
    # charlie sees only his own holder of the number: no hint that there are two.
    assert job.created == 1 and not job.row_errors.exists()


def test_customer_import_refusal_names_no_hidden_record(org, customers_csv):
    job = run_import(
        org.charlie,
        "customers",
        customers_csv([["", "张伟", "13800138000", "", "深圳", "", "", ""]]),
        dry_run=True,
    )
    reason = job.row_errors.get().problems[0]["reason"]
    assert "customer" not in reason.lower() and "客户" not in reason
