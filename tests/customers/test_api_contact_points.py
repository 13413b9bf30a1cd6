"""Further phones, e-mails and WeChat IDs are read and written on /api/v1/customers
(issue #12): the set is replaced through contact_points_replace (audited, searchable), a bad
row is a 422 naming the row with nothing written, and masked roles read them masked."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import ContactPoint
from tests.api.conftest import api  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

POINTS = [
    {"kind": "wechat", "value": "zhangwei_88", "label": "personal"},
    {"kind": "phone", "value": "139 0013 9000", "label": "office"},
    {"kind": "email", "value": "zw@work.cn"},
]


def test_write_and_read(api, org):  # noqa: F811
    response = api("alice").patch(f"/customers/{org.customer.pk}", {"contact_points": POINTS})
    assert response.status_code == 200, response.content
    assert response.json()["contact_points"] == [
        {"kind": "wechat", "value": "zhangwei_88", "label": "personal"},
        {"kind": "phone", "value": "+8613900139000", "label": "office"},
        {"kind": "email", "value": "zw@work.cn", "label": ""},
    ]
    assert AuditEvent.objects.filter(model="customers.contactpoint", action="create").count() == 3
    # The list carries them too, and the second phone finds the customer.
    listed = api("alice").get("/customers", {"q": "13900139000"}).json()["items"]
    assert [c["id"] for c in listed] == [org.customer.pk]
    assert len(listed[0]["contact_points"]) == 3
    # Leaving contact_points out keeps them; an empty list removes them.
    api("alice").patch(f"/customers/{org.customer.pk}", {"city": "苏州"})
    assert ContactPoint.objects.filter(customer=org.customer).count() == 3
    api("alice").patch(f"/customers/{org.customer.pk}", {"contact_points": []})
    assert not ContactPoint.objects.filter(customer=org.customer).exists()


def test_create_with_contact_points(api, org):  # noqa: F811
    body = {"name": "王芳", "phone": "13700137000", "contact_points": POINTS[:1]}
    response = api("alice").post("/customers?allow_duplicate=true", body)
    assert response.status_code == 201, response.content
    assert response.json()["contact_points"][0]["value"] == "zhangwei_88"


def test_bad_row_is_422_naming_it_and_nothing_changes(api, org):  # noqa: F811
    api("alice").patch(f"/customers/{org.customer.pk}", {"contact_points": POINTS[:1]})
    events = AuditEvent.objects.count()
    bad = [POINTS[0], {"kind": "phone", "value": "12"}]
    response = api("alice").patch(f"/customers/{org.customer.pk}", {"contact_points": bad})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "contact_points"] and error["type"] == "contact"
    # The row's number and its value, in the API's language.
    assert "2" in error["msg"] and "“12”" in error["msg"]
    assert list(ContactPoint.objects.values_list("value", flat=True)) == ["zhangwei_88"]
    assert AuditEvent.objects.count() == events


def test_masked_roles_read_them_masked(api, org):  # noqa: F811
    api("alice").patch(f"/customers/{org.customer.pk}", {"contact_points": POINTS})
    body = api("ana").get(f"/customers/{org.customer.pk}").json()
    assert body["masked"] is True
    assert [p["value"] for p in body["contact_points"]] == ["****", "****9000", "z****@work.cn"]
    # The same rule as the primary phone: a role that sees personal data sees them whole.
    body = api("pat").get(f"/customers/{org.customer.pk}").json()
    assert body["masked"] is False and body["contact_points"][0]["value"] == "zhangwei_88"
