"""Interactions and relations import and re-import without duplicates."""

from kehu.customers.models import Interaction, Relation
from kehu.customers.services import customer_create

from .conftest import run_import, write_csv


def test_interactions(org, tmp_path):
    rows = [
        ["客户", "时间", "渠道", "主题", "备注", "方向"],
        ["13800138000", "2024-05-01 10:30", "电话", "回访", "满意", "呼出"],
        ["13800138000", "2024-05-02", "微信", "咨询", "", "来电"],
        ["13800138000", "", "电话", "没有时间", "", ""],
    ]
    job = run_import(org.alice, "interactions", write_csv(tmp_path / "i.csv", rows))
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    call = Interaction.objects.get(subject="回访")
    assert call.channel == "phone" and call.direction == "out" and call.user == org.alice
    again = run_import(org.alice, "interactions", write_csv(tmp_path / "j.csv", rows))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 1}
    assert Interaction.objects.filter(customer=org.customer).count() == 2


def test_relations(org, tmp_path):
    company = customer_create(
        by=org.alice, owner=org.alice, name="华为", kind="company", external_id="CO-1"
    )
    rows = [
        ["客户", "关联客户", "关系", "职务"],
        ["+8613800138000", "CO-1", "联系人", "采购经理"],
        ["CO-1", "CO-1", "knows", ""],
    ]
    job = run_import(org.alice, "relations", write_csv(tmp_path / "r.csv", rows))
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    relation = Relation.objects.get()
    assert (relation.from_customer, relation.to_customer, relation.kind, relation.role) == (
        org.customer,
        company,
        "contact_at",
        "采购经理",
    )
    again = run_import(org.alice, "relations", write_csv(tmp_path / "s.csv", rows))
    assert again.counts["unchanged"] == 1 and Relation.objects.count() == 1
