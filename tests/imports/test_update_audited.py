"""A changed row updates the customer and leaves an audit event with before/after, source
"import"; blank cells don't erase; tags are added."""

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, SearchKey

from .conftest import run_import


def test_update_is_audited(org, customers_csv):
    # org.customer: 张伟, +8613800138000, zhang.wei@example.com, 上海 — matched by phone.
    job = run_import(
        org.alice,
        "customers",
        customers_csv(
            [
                ["", "张伟", "13800138000", "", "北京", "", "男", "金卡"],
            ]
        ),
    )
    assert job.counts == {"created": 0, "updated": 1, "unchanged": 0, "failed": 0}
    c = Customer.objects.get(pk=org.customer.pk)
    assert c.city == "北京" and c.gender == "M" and c.email == "zhang.wei@example.com"
    assert list(c.tags.values_list("name", flat=True)) == ["金卡"]
    event = AuditEvent.objects.filter(customer_id=c.pk, action="update").latest("id")
    assert event.source == "import" and event.user == org.alice
    assert event.changes["city"] == ["上海", "北京"]
    assert event.changes["gender"] == ["", "M"]
    assert event.changes["tags"] == [[], ["金卡"]]


def test_changed_phone_refreshes_search_keys(org, customers_csv):
    run_import(
        org.alice, "customers", customers_csv([["K-1", "吴用", "13900139000", "", "", "", "", ""]])
    )
    run_import(
        org.alice,
        "customers",
        customers_csv([["K-1", "吴用", "13900139999", "", "", "", "", ""]], name="b.csv"),
    )
    keys = set(SearchKey.objects.filter(customer__external_id="K-1").values_list("key", flat=True))
    assert "t:8613900139999" in keys and "t:8613900139000" not in keys


def test_company_column_kept_in_attributes(org, tmp_path):
    from .conftest import write_csv

    rows = [["姓名", "手机", "公司"], ["马丁", "13700137111", "阿里巴巴"]]
    run_import(org.alice, "customers", write_csv(tmp_path / "a.csv", rows))
    assert Customer.objects.get(phone="+8613700137111").attributes == {"company": "阿里巴巴"}
    rows[1][2] = "腾讯"
    job = run_import(org.alice, "customers", write_csv(tmp_path / "b.csv", rows))
    assert job.updated == 1
    assert Customer.objects.get(phone="+8613700137111").attributes == {"company": "腾讯"}
    rows = [["公司", "手机"], ["字节跳动", "13700137222"]]
    run_import(org.alice, "customers", write_csv(tmp_path / "c.csv", rows))
    company = Customer.objects.get(phone="+8613700137222")
    assert company.kind == "company" and company.name == "字节跳动"
