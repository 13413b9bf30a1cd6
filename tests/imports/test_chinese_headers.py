"""Chinese column headers are recognised and the rows land in the right fields."""

import datetime as dt

from kehu.customers.models import Customer, SearchKey
from kehu.imports.mapping import auto_map

from .conftest import run_import


def test_chinese_headers_are_mapped(org, customers_csv):
    path = customers_csv(
        [
            [
                "C-1",
                "李娜",
                "139 1234 5678",
                "li.na@Example.com",
                "北京",
                "1985年3月4日",
                "女",
                "VIP、老客户",
            ],
        ]
    )
    job = run_import(org.alice, "customers", path)
    assert job.mapping["姓名"] == "name" and job.mapping["手机"] == "phone"
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 0}
    c = Customer.objects.get(external_id="C-1")
    assert (c.name, c.phone, c.email, c.city) == (
        "李娜",
        "+8613912345678",
        "li.na@example.com",
        "北京",
    )
    assert c.birthday == dt.date(1985, 3, 4) and c.gender == "F"
    assert c.owner == org.alice and c.team == org.north and c.source == "import"
    assert sorted(c.tags.values_list("name", flat=True)) == ["VIP", "老客户"]
    assert c.completeness > 0
    keys = set(SearchKey.objects.filter(customer=c).values_list("key", flat=True))
    assert {"n:李娜", "n:lina", "t:8613912345678", "e:li.na@example.com"} <= keys


def test_header_synonyms_in_both_languages():
    mapping = auto_map(
        "customers", ["客户名称", "联系电话", "电子邮件", "Mobile", "详细地址", "省份", "负责人 *"]
    )
    assert mapping == {
        "客户名称": "name",
        "联系电话": "phone",
        "电子邮件": "email",
        "Mobile": "",
        "详细地址": "address",
        "省份": "province",
        "负责人 *": "owner",
    }
    assert auto_map("orders", ["订单号", "下单日期", "SKU", "数量", "单价", "渠道", "活动"]) == {
        "订单号": "order_number",
        "下单日期": "date",
        "SKU": "product",
        "数量": "quantity",
        "单价": "unit_price",
        "渠道": "channel",
        "活动": "campaign",
    }
