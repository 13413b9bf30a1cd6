"""Writes through the API are audited as the token's user with source "api"."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_is_audited_as_token_user(api, org):
    body = api("bob").post("/customers", {"name": "Audited"}).json()
    event = AuditEvent.objects.get(model="customers.customer", object_id=str(body["id"]))
    assert event.action == "create"
    assert event.user == org.bob and event.source == "api"


def test_update_records_before_and_after(api, org):
    api("alice").patch(f"/customers/{org.customer.pk}", {"city": "苏州"})
    event = AuditEvent.objects.filter(customer_id=org.customer.pk, action="update").get()
    assert event.user == org.alice and event.source == "api"
    assert event.changes["city"] == ["上海", "苏州"]


def test_interaction_order_and_payment_are_audited(api, org, sales):
    client = api("sam")
    client.post(f"/customers/{org.customer.pk}/interactions", {"channel": "phone", "subject": "Hi"})
    client.post(
        f"/customers/{org.customer.pk}/orders",
        {"number": "SO-A", "channel": "web", "lines": [{"sku": "W-1", "quantity": 1}]},
    )
    client.post(f"/invoices/{sales.invoice.pk}/payments", {"amount": 5})
    models = set(
        AuditEvent.objects.filter(user=org.sam, source="api").values_list("model", flat=True)
    )
    assert {
        "customers.interaction",
        "sales.order",
        "sales.orderline",
        "sales.payment",
        "sales.invoice",
    } <= models


def test_session_calls_are_audited_as_api_too(org, client):
    client.force_login(org.alice)
    client.patch(
        f"/api/v1/customers/{org.customer.pk}",
        '{"city": "杭州"}',
        content_type="application/json",
    )
    event = AuditEvent.objects.get(customer_id=org.customer.pk, action="update")
    assert (event.user, event.source) == (org.alice, "api")


def test_refused_write_leaves_no_trace(api, org):
    before = AuditEvent.objects.count()
    api("ana").patch(f"/customers/{org.customer.pk}", {"city": "x"})
    api("charlie").patch(f"/customers/{org.customer.pk}", {"city": "x"})
    assert AuditEvent.objects.count() == before
