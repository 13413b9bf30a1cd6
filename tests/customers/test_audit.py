"""Every change to customer data is recorded with who, when, before and after, and shown
on the customer's history tab."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "person",
        "name": "张伟",
        "name_en": "Wei Zhang",
        "phone": "13800138000",
        "email": "zhang.wei@example.com",
        "city": "上海",
    }
    data.update(overrides)
    return data


def test_edit_is_audited_with_before_and_after(client, org):
    client.force_login(org.bob)
    response = client.post(f"/customers/{org.customer.pk}/edit/", _form(city="北京"))
    assert response.status_code == 302
    event = AuditEvent.objects.filter(customer_id=org.customer.pk, action="update").latest("id")
    assert event.user == org.bob
    assert event.source == "web"
    assert event.changes["city"] == ["上海", "北京"]
    history = client.get(f"/customers/{org.customer.pk}/history/").content.decode()
    assert "北京" in history and "上海" in history and "bob" in history


def test_creation_is_audited(client, org):
    client.force_login(org.alice)
    client.post("/customers/new/", _form(name="王芳", phone="13700137000", email="wf@example.com"))
    event = AuditEvent.objects.get(action="create", model="customers.customer", summary="王芳")
    assert event.user == org.alice
    assert event.changes["name"] == [None, "王芳"]


def test_unchanged_save_records_nothing(client, org):
    client.force_login(org.alice)
    before = AuditEvent.objects.count()
    client.post(f"/customers/{org.customer.pk}/edit/", _form())
    assert AuditEvent.objects.count() == before


def test_interactions_are_audited_on_the_customer(client, org):
    client.force_login(org.sam)
    client.post(
        f"/customers/{org.customer.pk}/interactions/new/",
        {
            "channel": "phone",
            "direction": "in",
            "department": "service",
            "subject": "Asked about bill",
            "occurred_at": "2026-01-05T10:00",
        },
    )
    event = AuditEvent.objects.get(model="customers.interaction", action="create")
    assert event.customer_id == org.customer.pk and event.user == org.sam
