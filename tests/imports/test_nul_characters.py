"""A NUL character in any cell refuses the row, naming row and field (issue #9)."""

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, Interaction

from .conftest import run_import, write_csv


def test_nul_in_a_customer_cell(org, customers_csv):
    before = (Customer.objects.count(), AuditEvent.objects.count())
    job = run_import(
        org.alice,
        "customers",
        customers_csv(
            [["", "张\x00三", "", "", "", "", "", ""], ["", "李四", "", "", "北\x00京", "", "", ""]]
        ),
    )
    assert job.created == 0 and job.failed == 2
    fields = {e.row_number: [p["field"] for p in e.problems] for e in job.row_errors.all()}
    assert fields == {2: ["name"], 3: ["city"]}
    assert (Customer.objects.count(), AuditEvent.objects.count()) == before


def test_nul_in_an_interaction_note(org, tmp_path):
    rows = [
        ["客户", "时间", "渠道", "主题", "备注"],
        ["13800138000", "2024-03-01", "电话", "回访", "a\x00b"],
    ]
    job = run_import(org.alice, "interactions", write_csv(tmp_path / "i.csv", rows))
    assert [p["field"] for p in job.row_errors.get().problems] == ["notes"]
    assert not Interaction.objects.exists()
