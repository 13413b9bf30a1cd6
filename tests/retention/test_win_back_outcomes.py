"""Outcomes from behaviour and win-back (D4): a customer who left and buys again is won back
(date, revenue regained) by the worker job reading orders; lost key and major customers get
the win-back playbook's first step (once), small ones do not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.customers.models import Channel
from kehu.retention import outcomes, services
from kehu.retention.models import ExitReason, Task
from kehu.sales.models import Order
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
LEFT = dt.date(2026, 9, 1)


def _no_controls(org):
    v = services.current_policy()
    books = {k: {**b, "control_share": 0.0} for k, b in v.playbooks.items()}
    services.policy_save(playbooks=books, cells=v.cells, by=org.root)


def _left(customer, by):
    return services.record_exit(
        customer=customer, by=by, exit=services.ExitInput(reason="price"), left_on=LEFT
    )


def _order(customer, on, amount):
    return Order.objects.create(
        customer=customer, number=f"o-{customer.pk}-{on}", ordered_on=on,
        channel=Channel.STORE, amount=Decimal(amount),
    )  # fmt: skip


def test_buying_again_is_won_back_with_revenue(org):
    _no_controls(org)
    (customer,) = scored(org, tier="key")
    record = _left(customer, org.alice)
    _order(customer, dt.date(2026, 8, 1), 999)  # before leaving: not counted
    _order(customer, dt.date(2026, 10, 5), 300)
    _order(customer, dt.date(2026, 11, 5), 200)
    result = outcomes.record_outcomes(as_of=dt.date(2026, 12, 1), by=None)
    record.refresh_from_db()
    assert result.won_back == 1
    assert record.won_back_on == dt.date(2026, 10, 5)
    assert record.revenue_regained == Decimal(500)


def test_lost_high_value_get_one_win_back_task(org):
    _no_controls(org)
    (key,) = scored(org, tier="key")
    (small,) = scored(org, tier="small")
    _left(key, org.alice)
    _left(small, org.alice)
    outcomes.record_outcomes(as_of=dt.date(2026, 12, 1), by=None)
    outcomes.record_outcomes(as_of=dt.date(2026, 12, 2), by=None)
    task = Task.objects.get(kind=Task.Kind.WIN_BACK)
    assert task.customer == key and task.assigned_to == org.alice
    assert task.playbook == "win_back" and task.notes  # the last exit reason, in words
    assert ExitReason.objects.count() == 2
