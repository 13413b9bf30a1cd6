"""The administration site is for administrators only, and the audit trail in it is
read-only."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["alice", "mia", "sam", "ana", "pat"])
def test_staff_without_admin_flag_refused(client, org, persona):
    client.force_login(getattr(org, persona))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_administrator_manages_users_and_teams(client, org):
    org.root.is_staff = org.root.is_superuser = True
    org.root.save()
    client.force_login(org.root)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/core/team/").status_code == 200
    assert "Administration" in client.get("/customers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_audit_events_cannot_be_changed(client, org):
    org.root.is_staff = org.root.is_superuser = True
    org.root.save()
    client.force_login(org.root)
    event = AuditEvent.objects.first()
    assert client.get("/admin/core/auditevent/").status_code == 200
    response = client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
