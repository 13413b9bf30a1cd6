"""Reassigning a customer (A2): every note, call and order stays on the record; the owner
history says who owned it when; the change is audited."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Interaction, OwnerHistory

pytestmark = pytest.mark.django_db


def test_reassign_keeps_history(client, org):
    c = org.customer
    Interaction.objects.create(customer=c, channel="phone", subject="First call", user=org.alice)
    client.force_login(org.mia)
    response = client.post(
        f"/customers/{c.pk}/reassign/", {"owner": org.bob.pk, "reason": "alice left"}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.owner == org.bob
    assert c.interactions.filter(subject="First call").exists()
    periods = list(OwnerHistory.objects.filter(customer=c).order_by("started_at", "id"))
    assert [p.owner for p in periods] == [org.alice, org.bob]
    assert periods[0].ended_at is not None and periods[1].ended_at is None
    assert periods[1].reason == "alice left" and periods[1].changed_by == org.mia
    event = AuditEvent.objects.get(customer_id=c.pk, action="reassign")
    assert event.user == org.mia
    assert event.changes["owner_id"] == [org.alice.pk, org.bob.pk]
    page = client.get(f"/customers/{c.pk}/").content.decode()
    assert "alice left" in page and "First call" in page


def test_rep_cannot_reassign(client, org):
    client.force_login(org.alice)
    response = client.post(f"/customers/{org.customer.pk}/reassign/", {"owner": org.bob.pk})
    assert response.status_code == 403
    org.customer.refresh_from_db()
    assert org.customer.owner == org.alice
