"""The creation-time warning uses the matcher's normalisation, so it also finds a customer
typed again with nothing in common but the name (another script, pinyin) and the
address (traditional characters, 省/市 left out), and it does not flag a family member
on the same landline and address."""

from __future__ import annotations

from kehu.customers import services as customer_services
from kehu.quality.warning import duplicate_warning


def test_finds_a_duplicate_sharing_neither_phone_nor_email(org):
    existing = customer_services.customer_create(
        by=org.alice,
        owner=org.alice,
        name="陈晓东",
        phone="+8613700003333",
        email="cxd@example.com",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        address="浙江省杭州市西湖区文三路90号3栋1101室",
    )
    for name in ("陳曉東", "Xiaodong Chen", "陈 晓东"):
        typed = {
            "name": name,
            "phone": "186 0000 4444",
            "city": "杭州",
            "address": "浙江杭州西湖區文三路90號3棟1101室",
        }
        found = duplicate_warning(user=org.alice, fields=typed)
        assert [c.customer_id for c in found] == [existing.pk], name
        assert "address" in {e["field"] for e in found[0].evidence if e["weight"] > 0}


def test_does_not_flag_a_family_member_on_the_same_landline_and_address(org):
    customer_services.customer_create(
        by=org.alice,
        owner=org.alice,
        name="王建国",
        phone="+861062345678",
        city="北京市",
        district="海淀区",
        address="中关村大街1号5栋301室",
    )
    spouse = {
        "name": "王秀英",
        "phone": "010-6234 5678",
        "city": "北京",
        "district": "海淀区",
        "address": "中关村大街1号5栋301室",
    }
    assert duplicate_warning(user=org.alice, fields=spouse) == []
