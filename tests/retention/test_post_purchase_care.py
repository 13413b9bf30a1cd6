"""Post-purchase care (D5): the scan of new orders raises the configured steps as tasks for
the owner after a first purchase or a large one, due the steps' days after the order (or on
the scan's day when it comes later), once per order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kehu.core.models import AuditEvent
from kehu.customers.models import Channel
from kehu.retention import care
from kehu.retention.models import CarePolicy, Task
from kehu.sales.models import Order

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 9))
STEPS = [{"step": "confirm", "after_days": 2}, {"step": "satisfaction", "after_days": 30}]


def _order(customer, on, amount, n=[0]):  # noqa: B006 - a counter for unique numbers
    n[0] += 1
    return Order.objects.create(
        customer=customer, number=f"o-{n[0]}", ordered_on=on, channel=Channel.STORE,
        amount=Decimal(amount),
    )  # fmt: skip


def test_first_purchase_raises_each_step_for_the_owner(org):
    care.care_configure(by=org.root, large_amount=Decimal(5000), steps=STEPS)
    order = _order(org.customer, dt.date(2026, 3, 9), 100)
    assert care.care_scan(now=NOW) == 2
    tasks = list(Task.objects.order_by("step"))
    assert [(t.kind, t.assigned_to, t.due_on, t.step) for t in tasks] == [
        ("care", org.alice, dt.date(2026, 3, 11), 1),
        ("care", org.alice, dt.date(2026, 4, 8), 2),
    ]
    assert all(t.trigger == "purchase" and t.notes == f"order {order.pk}" for t in tasks)
    assert "确认" in tasks[0].title  # in the site's language (zh-hans)


def test_a_second_small_purchase_raises_nothing_a_large_one_does(org):
    care.care_configure(by=org.root, large_amount=Decimal(5000), steps=STEPS)
    _order(org.customer, dt.date(2026, 1, 5), 100)
    care.care_scan(now=NOW)
    Task.objects.all().delete()
    _order(org.customer, dt.date(2026, 3, 1), 4999)
    assert care.care_scan(now=NOW) == 0
    _order(org.customer, dt.date(2026, 3, 2), 5000)
    assert care.care_scan(now=NOW) == 2
    # The scan came late for the first step (due 3-4): due on the scan's day instead.
    assert sorted(Task.objects.values_list("due_on", flat=True)) == [
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 1),
    ]


def test_each_order_once_and_nothing_when_disabled(org):
    care.care_configure(by=org.root, steps=STEPS)
    _order(org.customer, dt.date(2026, 3, 9), 100)
    assert care.care_scan(now=NOW) == 2
    assert care.care_scan(now=NOW) == 0  # the cursor moved on
    care.care_configure(by=org.root, enabled=False, steps=STEPS)
    from tests.retention.factories import scored

    (other,) = scored(org)
    _order(other, dt.date(2026, 3, 9), 100)
    assert care.care_scan(now=NOW) == 0
    assert Task.objects.count() == 2


def test_bad_configuration_names_the_step_and_changes_nothing(org):
    care.care_configure(by=org.root, steps=STEPS)
    events = AuditEvent.objects.count()
    for steps in (
        [{"step": "dance", "after_days": 1}],
        [{"step": "confirm", "after_days": -1}],
        [],
    ):
        with pytest.raises(ValidationError):
            care.care_configure(by=org.root, steps=steps)
    with pytest.raises(ValidationError):
        care.care_configure(by=org.root, large_amount=Decimal(0), steps=STEPS)
    assert CarePolicy.objects.get().steps == STEPS
    assert AuditEvent.objects.count() == events
