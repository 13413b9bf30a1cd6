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
