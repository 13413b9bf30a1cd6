"""An edit form opened before a merge cannot write its old copy over the merged record, and
the merged-away record can be neither edited nor restored on the web (409)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Customer
from kehu.quality.merge import customer_merge, customer_unmerge
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _version(client, pk) -> str:
    page = client.get(f"/customers/{pk}/edit/").content.decode()
    return re.search(r'name="version" value="(\d+)"', page).group(1)


@pytest.fixture
def twin(org):
    return services.customer_create(
        by=org.alice, owner=org.alice, name="张伟", phone="13900139000", industry="retail"
    )


def test_form_opened_before_merge_is_refused(org, twin):
    alice = login(Client(), org.alice)
    version = _version(alice, org.customer.pk)
    customer_merge(keep=org.customer, remove=twin, by=org.root)
    kept = Customer.objects.get(pk=org.customer.pk)
    assert kept.industry == "retail"  # taken over from the twin
    response = alice.post(
        f"/customers/{org.customer.pk}/edit/",
        {"kind": "person", "name": "张伟", "phone": "13800138000", "version": version},
    )
    assert response.status_code == 409
    assert Customer.objects.get(pk=org.customer.pk).industry == "retail"


def test_merged_away_edit_and_restore_are_409(org, twin):
    customer_merge(keep=org.customer, remove=twin, by=org.root)
    root = login(Client(), org.root)
    events = AuditEvent.objects.count()
    response = root.get(f"/customers/{twin.pk}/edit/")
    assert response.status_code == 409
    assert f"/customers/{org.customer.pk}/" in response.content.decode()
    response = root.post(f"/customers/{twin.pk}/archive/", {"restore": "1"})
    assert response.status_code == 409
    twin.refresh_from_db()
    assert twin.is_archived and twin.merged_into_id == org.customer.pk
    assert AuditEvent.objects.count() == events


def test_undo_moves_versions_on(org, twin):
    merge = customer_merge(keep=org.customer, remove=twin, by=org.root)
    after_merge = Customer.objects.get(pk=org.customer.pk).version
    customer_unmerge(merge=merge, by=org.root)
    assert Customer.objects.get(pk=org.customer.pk).version == after_merge + 1
    assert Customer.objects.get(pk=twin.pk).version > 1
    assert Customer.objects.get(pk=twin.pk).merged_into_id is None
