"""Who created a customer and who owned or reassigned it are log columns, and a customer's
team is a copy of its owner's: none has a database constraint (an import writes millions of
them). Deleting a user or a team must still clear them, as it would with the constraint,
and keep the customer and its history."""

from __future__ import annotations

import pytest

from kehu.customers import services
from kehu.customers.models import Customer, OwnerHistory

pytestmark = pytest.mark.django_db


def test_deleting_users_clears_them_from_customer_and_history(org):
    c = org.customer
    services.customer_reassign(customer=c, owner=org.bob, by=org.mia, reason="alice left")
    alice_id, mia_id = org.alice.pk, org.mia.pk

    org.alice.delete()
    org.mia.delete()

    c = Customer.objects.get(pk=c.pk)
    assert c.created_by_id is None
    assert c.owner == org.bob
    periods = list(OwnerHistory.objects.filter(customer=c).order_by("started_at", "id"))
    assert [p.owner_id for p in periods] == [None, org.bob.pk]
    assert periods[1].changed_by_id is None and periods[1].reason == "alice left"
    assert not OwnerHistory.objects.filter(owner_id__in=[alice_id, mia_id]).exists()
    assert not OwnerHistory.objects.filter(changed_by_id__in=[alice_id, mia_id]).exists()


def test_deleting_a_team_clears_it_from_customers_and_history(org):
    c = org.customer
    assert OwnerHistory.objects.filter(customer=c, team=org.north).exists()
    services.customer_reassign(customer=c, owner=org.charlie, by=org.root)
    kept = services.customer_create(by=org.bob, owner=org.bob, name="李娜")
    assert kept.team == org.north
    north_id = org.north.pk

    org.north.delete()

    assert Customer.objects.get(pk=kept.pk).team_id is None
    assert Customer.objects.get(pk=c.pk).team == org.south

    assert not OwnerHistory.objects.filter(team_id=north_id).exists()
    assert OwnerHistory.objects.filter(customer=c, team_id=None).count() == 1
    assert OwnerHistory.objects.filter(customer=c).count() == 2
