"""Invitations with bad input: a clear error naming the field, 400, nothing written."""

from __future__ import annotations

import pytest
from django.core import mail

from kehu.core.models import AuditEvent
from kehu.customers import services as customer_services
from kehu.portal.models import PortalAccess

pytestmark = pytest.mark.django_db


def _counts():
    return PortalAccess.objects.count(), AuditEvent.objects.count(), len(mail.outbox)


def test_an_invalid_address_is_refused(client, org):
    client.force_login(org.sam)
    before = _counts()
    response = client.post(f"/portal/invite/{org.customer.pk}/", {"email": "张伟@", "name": ""})
    assert response.status_code == 400
    assert "valid email" in response.content.decode().lower()
    assert _counts() == before


def test_an_address_of_another_customers_portal_user_is_refused(client, portal, org):
    client.force_login(org.sam)
    before = _counts()
    response = client.post(f"/portal/invite/{portal.b.pk}/", {"email": "wang@example.com"})
    assert response.status_code == 400
    assert "already has portal access for another customer" in response.content.decode()
    assert _counts() == before
    portal.wang_access.refresh_from_db()
    assert portal.wang_access.customer == portal.a


def test_reinviting_the_same_contact_sends_a_new_link_to_the_same_user(client, portal, org):
    client.force_login(org.sam)
    response = client.post(f"/portal/invite/{portal.a.pk}/", {"email": "WANG@example.com"})
    assert response.status_code == 302
    assert PortalAccess.objects.filter(email="wang@example.com").count() == 1
    assert len(mail.outbox) == 1


def test_an_archived_customer_cannot_be_invited(client, org):
    customer_services.customer_archive(customer=org.customer, by=org.mia)
    client.force_login(org.root)
    before = _counts()
    response = client.post(f"/portal/invite/{org.customer.pk}/", {"email": "x@example.com"})
    assert response.status_code == 404
    assert _counts() == before
