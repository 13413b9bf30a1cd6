"""Nothing is hard-deleted by ordinary users: archiving hides a customer, restoring brings it
back with everything attached."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_archive_and_restore(client, org):
    client.force_login(org.mia)
    client.post(f"/customers/{org.customer.pk}/archive/")
    assert Customer.objects.filter(pk=org.customer.pk, is_archived=True).exists()
    assert "张伟" not in client.get("/customers/").content.decode()
    assert "张伟" in client.get("/customers/", {"archived": "1"}).content.decode()
    assert AuditEvent.objects.filter(customer_id=org.customer.pk, action="archive").exists()
    client.post(f"/customers/{org.customer.pk}/archive/", {"restore": "1"})
    assert "张伟" in client.get("/customers/").content.decode()
    assert AuditEvent.objects.filter(customer_id=org.customer.pk, action="restore").exists()


def test_archived_customer_cannot_be_edited(client, org):
    client.force_login(org.mia)
    client.post(f"/customers/{org.customer.pk}/archive/")
    assert client.get(f"/customers/{org.customer.pk}/edit/").status_code == 404
