"""A customer merged into another is a dead end in the API: restoring it (which answered 200
and brought a duplicate back to life) and changing it are 409, and nothing changes."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Customer
from kehu.quality.merge import customer_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(org):
    twin = services.customer_create(by=org.alice, owner=org.alice, name="张伟 (dup)")
    customer_merge(keep=org.customer, remove=twin, by=org.root)
    return Customer.objects.get(pk=twin.pk)


def _state(pk):
    c = Customer.objects.get(pk=pk)
    return (c.is_archived, c.merged_into_id, c.version, c.name), AuditEvent.objects.count()


def test_restore_of_merged_away_is_409(api, org, merged):
    before = _state(merged.pk)
    response = api("root").post(f"/customers/{merged.pk}/restore")
    assert response.status_code == 409
    assert f"#{org.customer.pk}" in response.json()["detail"]
    assert _state(merged.pk) == before


def test_patch_of_merged_away_is_409(api, org, merged):
    before = _state(merged.pk)
    response = api("root").patch(f"/customers/{merged.pk}", {"name": "revived"})
    assert response.status_code == 409
    assert f"#{org.customer.pk}" in response.json()["detail"]
    assert _state(merged.pk) == before


def test_merge_makes_an_earlier_etag_stale(api, org, merged):
    # The kept record took over the other's values: a client that read it before must not
    # write its old copy back over them.
    response = api("alice").client.patch(
        f"/api/v1/customers/{org.customer.pk}",
        '{"city": "北京"}',
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 412
