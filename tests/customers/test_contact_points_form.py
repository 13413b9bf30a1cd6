"""Several phones, e-mails and a WeChat ID are editable on the customer form (issue #12),
checked by the shared validators; a bad one changes nothing."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import ContactPoint

pytestmark = pytest.mark.django_db


def _form(org, **contacts):
    data = {
        "kind": "person",
        "name": "张伟",
        "name_en": "Wei Zhang",
        "phone": "13800138000",
        "email": "zhang.wei@example.com",
        "city": "上海",
        "version": org.customer.version,
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
    }
    for i, (kind, value) in enumerate(contacts.get("rows", [])):
        data[f"contacts-{i}-kind"] = kind
        data[f"contacts-{i}-value"] = value
    return data


def test_add_wechat_and_second_phone(client, org):
    client.force_login(org.alice)
    rows = [("wechat", "zhangwei_88"), ("phone", "139 0013 9000"), ("email", "zw@work.cn")]
    response = client.post(f"/customers/{org.customer.pk}/edit/", _form(org, rows=rows))
    assert response.status_code == 302
    stored = set(ContactPoint.objects.filter(customer=org.customer).values_list("kind", "value"))
    assert stored == {
        ("wechat", "zhangwei_88"),
        ("phone", "+8613900139000"),
        ("email", "zw@work.cn"),
    }
    assert AuditEvent.objects.filter(model="customers.contactpoint", action="create").count() == 3
    page = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "zhangwei_88" in page
    # The second phone finds the customer.
    found = client.get("/customers/", {"q": "13900139000"}).content.decode()
    assert "张伟" in found
    # Emptying a line removes it.
    org.customer.refresh_from_db()
    keep = [("wechat", "zhangwei_88")]
    response = client.post(f"/customers/{org.customer.pk}/edit/", _form(org, rows=keep))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert list(ContactPoint.objects.values_list("value", flat=True)) == ["zhangwei_88"]


def test_bad_wechat_changes_nothing(client, org):
    client.force_login(org.alice)
    version = org.customer.version
    response = client.post(
        f"/customers/{org.customer.pk}/edit/",
        _form(org, rows=[("wechat", "1@"), ("phone", "13900139000")]) | {"city": "北京"},
    )
    assert response.status_code == 200
    assert 'id="contacts-0-value-errors"' in response.content.decode()
    org.customer.refresh_from_db()
    assert org.customer.city == "上海" and org.customer.version == version
    assert not ContactPoint.objects.exists()


def test_analyst_cannot_edit_contacts(client, org):
    client.force_login(org.ana)
    response = client.post(
        f"/customers/{org.customer.pk}/edit/", _form(org, rows=[("wechat", "zhangwei_88")])
    )
    assert response.status_code == 403 and not ContactPoint.objects.exists()
