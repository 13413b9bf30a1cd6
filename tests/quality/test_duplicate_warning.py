"""The creation-time warning finds the existing customer typed another way (traditional
script, spaced national phone) with the matcher's default model, and not a namesake."""

from __future__ import annotations

from kehu.customers import services as customer_services
from kehu.quality.warning import duplicate_warning


def test_finds_the_same_person_typed_differently(org):
    found = duplicate_warning(user=org.alice, fields={"name": "張偉", "phone": "138 0013 8000"})

    assert [c.customer_id for c in found] == [org.customer.pk]
    assert found[0].name == "张伟" and found[0].probability >= 0.9
    assert "phone" in {e["field"] for e in found[0].evidence}


def test_does_not_flag_a_different_person(org):
    customer_services.customer_create(
        by=org.alice, owner=org.alice, name="李娜", phone="+8613900139000"
    )
    namesake = {
        "name": "张伟",
        "phone": "137 1111 2222",
        "email": "another.zhang@example.org",
        "city": "广州",
    }
    assert duplicate_warning(user=org.alice, fields=namesake) == []
    assert duplicate_warning(user=org.alice, fields={"name": "王芳", "phone": "13511112222"}) == []


def test_editing_a_record_does_not_warn_about_itself(org):
    fields = {"name": "张伟", "phone": "+8613800138000"}
    assert duplicate_warning(user=org.alice, fields=fields, exclude_id=org.customer.pk) == []
