"""The audit trail compares a save with the values as loaded. The load keeps them as they
came and turns them into the trail's JSON only when a save asks (a list page loads fifty
customers and saves none); values that can change in place (JSON lists) are copied at load,
so an edit in place is still recorded with what it was before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def _last_update(customer: Customer) -> AuditEvent:
    return AuditEvent.objects.filter(customer_id=customer.pk, action="update").latest("id")


def test_a_list_changed_in_place_is_recorded_with_its_value_before(org):
    Customer.objects.filter(pk=org.customer.pk).update(aliases=["老张"])
    customer = Customer.objects.get(pk=org.customer.pk)
    customer.aliases.append("张总")
    customer.save()
    assert _last_update(customer).changes["aliases"] == [["老张"], ["老张", "张总"]]


def test_dates_and_money_are_compared_as_the_trail_stores_them(org):
    customer = Customer.objects.get(pk=org.customer.pk)
    before = customer.acquired_on, customer.profit
    customer.acquired_on = dt.date(2024, 5, 1)
    customer.profit = Decimal("12.50")
    customer.save()
    changes = _last_update(customer).changes
    assert changes["acquired_on"] == [
        before[0].isoformat() if before[0] else None,
        "2024-05-01",
    ]
    assert changes["profit"] == [None if before[1] is None else str(before[1]), "12.50"]


def test_a_loaded_customer_saved_unchanged_records_nothing(org):
    customer = Customer.objects.get(pk=org.customer.pk)
    count = AuditEvent.objects.count()
    customer.save()
    assert AuditEvent.objects.count() == count


def test_a_customer_never_loaded_has_no_snapshot(org):
    assert getattr(Customer(name="新客户"), "_audit_loaded", None) is None
