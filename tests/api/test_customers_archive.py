"""POST /customers/{id}/archive and /restore: managers and admins only."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent, Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["mia", "root"])
def test_managers_and_admins_archive_and_restore(api, org, who):
    client = api(who)
    response = client.post(f"/customers/{org.customer.pk}/archive")
    assert response.status_code == 200 and response.json()["is_archived"] is True
    org.customer.refresh_from_db()
    assert org.customer.is_archived and org.customer.archived_at
    response = client.post(f"/customers/{org.customer.pk}/restore")
    assert response.status_code == 200 and response.json()["is_archived"] is False
    actions = list(
        AuditEvent.objects.filter(customer_id=org.customer.pk, action__in=["archive", "restore"])
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["archive", "restore"]


def test_archiving_twice_is_harmless(api, org):
    client = api("mia")
    client.post(f"/customers/{org.customer.pk}/archive")
    assert client.post(f"/customers/{org.customer.pk}/archive").status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob", "sam", "ana", "pat", "quinn"])
def test_other_roles_get_403(api, org, who):
    assert api(who).post(f"/customers/{org.customer.pk}/archive").status_code == 403
    org.customer.refresh_from_db()
    assert not org.customer.is_archived


def test_manager_of_another_team_gets_404(api, org):
    south_manager = make_user("max", Role.MANAGER, team=org.south)
    org.south.managers.add(south_manager)
    assert api(south_manager).post(f"/customers/{org.customer.pk}/archive").status_code == 404


def test_unauthenticated_is_401(api, org):
    assert api(None).post(f"/customers/{org.customer.pk}/archive").status_code == 401
