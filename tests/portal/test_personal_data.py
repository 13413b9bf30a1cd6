"""Portal access in a person's data export and erasure (PIPL): the contact's e-mail and name
are exported; erasing the customer revokes the access for good and forgets the address, in
the access, the sign-in user and the audit trail."""

from __future__ import annotations

import pytest
from django.core import mail

from kehu.core.models import AuditEvent
from kehu.core.permissions import visible_customers
from kehu.portal.models import PortalAccess, PortalToken
from kehu.privacy import services as privacy

pytestmark = pytest.mark.django_db


def test_export_lists_the_portal_access(portal):
    sections = {s["key"]: s for s in privacy.collect(customer_ids=[portal.a.pk])}
    rows = sections["portal.access"]["rows"]
    assert [r["email"] for r in rows] == ["wang@example.com"]
    assert "digest" not in str(rows)


def test_erasure_revokes_access_and_forgets_the_address(client, portal, org):
    privacy.customer_erase(customer=portal.a, by=org.root, reason="客户要求删除")
    access = PortalAccess.objects.get(pk=portal.wang_access.pk)
    assert not access.is_active and "wang" not in access.email
    portal.wang.refresh_from_db()
    assert not portal.wang.is_active and portal.wang.email == ""
    assert not PortalToken.objects.filter(access=access).exists()
    assert not visible_customers(portal.wang).exists()
    assert not AuditEvent.objects.filter(summary__contains="wang@example.com").exists()
    # The other customer's contact is untouched.
    portal.li_access.refresh_from_db()
    assert portal.li_access.is_active and portal.li_access.email == "li@example.com"
    # No sign-in link can be asked for the erased address.
    mail.outbox.clear()
    client.post("/portal/login/", {"email": "wang@example.com"})
    assert mail.outbox == []
