"""``customer_update`` changes only the fields the registry calls editable (HackSoft's
``model_update`` allow-list): ownership, merge links, derived figures and bookkeeping are
refused with a clear error, and nothing is changed or audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value",
    [
        ("owner_id", None),
        ("team_id", None),
        ("merged_into_id", "other"),
        ("is_archived", True),
        ("profit", Decimal("1")),
        ("grade", "A"),
        ("created_by_id", None),
        ("completeness", 100),
        ("no_such_field", 1),
    ],
)
def test_refused_and_nothing_changed(org, field, value):
    other = services.customer_create(by=org.alice, owner=org.alice, name="王芳")
    if value == "other":
        value = other.pk
    before = Customer.objects.filter(pk=org.customer.pk).values().get()
    events = AuditEvent.objects.count()
    customer = Customer.objects.get(pk=org.customer.pk)
    with pytest.raises(ValueError, match=field):
        services.customer_update(customer=customer, by=org.alice, city="北京", **{field: value})
    assert Customer.objects.filter(pk=org.customer.pk).values().get() == before
    assert AuditEvent.objects.count() == events


def test_editable_fields_still_change(org):
    customer = services.customer_update(
        customer=Customer.objects.get(pk=org.customer.pk), by=org.alice, city="北京"
    )
    assert Customer.objects.get(pk=customer.pk).city == "北京"
