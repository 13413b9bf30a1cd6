"""Ownership (issue #12): the reassign picker offers only whom the user may assign to, by
name and team, and searches; bulk reassign from the list (ticked rows or the whole filter),
audited; refusals change nothing."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Customer, OwnerHistory

pytestmark = pytest.mark.django_db


def _mine(org, n, **extra):
    return [
        services.customer_create(by=org.alice, owner=org.alice, name=f"客户{i}", **extra)
        for i in range(n)
    ]


def test_picker_offers_only_assignable_people_with_teams(client, org):
    client.force_login(org.mia)
    page = client.get(f"/customers/{org.customer.pk}/reassign/").content.decode()
    assert "bob · North" in page and "mia · North" in page
    assert "charlie" not in page and ">sam" not in page
    client.force_login(org.root)
    page = client.get(f"/customers/{org.customer.pk}/reassign/").content.decode()
    assert "charlie · South" in page


def test_picker_search(client, org):
    client.force_login(org.mia)
    found = client.get("/customers/owners/", {"owner_q": "bo"}).content.decode()
    assert f'data-fill-value="{org.bob.pk}"' in found and "alice" not in found
    assert (
        client.get("/customers/owners/", {"owner_q": "South"})
        .content.decode()
        .count("data-fill-value")
        == 0
    )


def test_manager_cannot_assign_outside_their_teams(client, org):
    client.force_login(org.mia)
    events = AuditEvent.objects.count()
    response = client.post(f"/customers/{org.customer.pk}/reassign/", {"owner": org.charlie.pk})
    assert response.status_code == 200 and "owner" in response.content.decode()
    org.customer.refresh_from_db()
    assert org.customer.owner == org.alice and AuditEvent.objects.count() == events


def test_bulk_reassign_selected_rows(client, org):
    a, b, c = _mine(org, 3)
    client.force_login(org.mia)
    page = client.get("/customers/bulk-reassign/", {"id": [a.pk, b.pk]}).content.decode()
    assert 'id="bulk-count"' in page and "2" in page
    response = client.post(
        "/customers/bulk-reassign/",
        {"id": [a.pk, b.pk], "to-owner": org.bob.pk, "to-reason": "leave"},
    )
    assert response.status_code == 302
    owners = dict(Customer.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("pk", "owner"))
    assert owners == {a.pk: org.bob.pk, b.pk: org.bob.pk, c.pk: org.alice.pk}
    assert AuditEvent.objects.filter(action="reassign", user=org.mia).count() == 2
    assert OwnerHistory.objects.filter(owner=org.bob, reason="leave").count() == 2


def test_bulk_reassign_whole_filter_within_visibility(client, org):
    mine = _mine(org, 3, city="杭州")
    theirs = services.customer_create(by=org.charlie, owner=org.charlie, name="南方", city="杭州")
    client.force_login(org.mia)
    response = client.post(
        "/customers/bulk-reassign/", {"all": "1", "city": "杭州", "to-owner": org.bob.pk}
    )
    assert response.status_code == 302
    assert set(Customer.objects.filter(owner=org.bob).values_list("pk", flat=True)) == {
        c.pk for c in mine
    }
    theirs.refresh_from_db()
    assert theirs.owner == org.charlie


def test_rep_cannot_bulk_reassign(client, org):
    (a,) = _mine(org, 1)
    client.force_login(org.alice)
    events = AuditEvent.objects.count()
    response = client.post("/customers/bulk-reassign/", {"id": [a.pk], "to-owner": org.bob.pk})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.owner == org.alice and AuditEvent.objects.count() == events
    list_page = client.get("/customers/").content.decode()
    assert 'id="bulk-form"' not in list_page


def test_bulk_with_nothing_selected_is_refused(client, org):
    client.force_login(org.mia)
    response = client.post("/customers/bulk-reassign/", {"to-owner": org.bob.pk})
    assert response.status_code == 400 and 'id="bulk-errors"' in response.content.decode()
