"""Outcomes from behaviour (issue #11). Renewed: a customer whose contract was about to end
(an open "contract ending" task, which keeps the end date the trigger saw) and whose contract
end has since moved later — the task closes as renewed, audited; an end that did not move, or
a task someone already closed, is left alone. Left: a customer the analytics now calls lost."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer
from kehu.retention import outcomes
from kehu.retention.models import Task
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 6, 30)


def _contract_task(customer, user, *, ends: str, status=Task.Status.OPEN):
    return Task.objects.create(
        customer=customer, kind=Task.Kind.RETENTION, title="Call about the renewal",
        assigned_to=user, due_on=AS_OF, priority=1.0, step=1, step_kind="call",
        trigger=Task.Trigger.CONTRACT_END, trigger_key="contract_end:key_high", notes=ends,
        status=status,
    )  # fmt: skip


def _ends(customer, value: str) -> None:
    Customer.objects.filter(pk=customer.pk).update(attributes={"contract_end": value})


def test_a_later_end_date_closes_the_task_as_renewed(org):
    renewed, same, closed = scored(org, n=3)
    for c in (renewed, same, closed):
        _ends(c, "2025-07-15")
    t_renewed = _contract_task(renewed, org.alice, ends="2025-07-15")
    t_same = _contract_task(same, org.alice, ends="2025-07-15")
    t_closed = _contract_task(closed, org.alice, ends="2025-07-15", status=Task.Status.DONE)
    _ends(renewed, "2026-07-15")  # signed for another year
    _ends(closed, "2026-07-15")
    audit_last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]

    result = outcomes.record_outcomes(as_of=AS_OF, by=None)

    assert result.renewed == 1
    t_renewed.refresh_from_db(), t_same.refresh_from_db(), t_closed.refresh_from_db()
    assert (t_renewed.status, t_renewed.outcome) == (Task.Status.DONE, Task.Outcome.RENEWED)
    assert t_renewed.done_at is not None
    assert (t_same.status, t_same.outcome) == (Task.Status.OPEN, "")
    assert t_closed.outcome == ""  # closed by hand before: not overwritten
    logged = AuditEvent.objects.filter(model="retention.task", object_id=str(t_renewed.pk))
    assert logged.filter(changes__outcome__1="renewed").exists()
    untouched = AuditEvent.objects.filter(pk__gt=audit_last, model="retention.task")
    assert set(untouched.values_list("object_id", flat=True)) == {str(t_renewed.pk)}


def test_unreadable_dates_are_left_alone(org):
    (c,) = scored(org)
    _ends(c, "next year")
    task = _contract_task(c, org.alice, ends="2025-07-15")
    assert outcomes.record_outcomes(as_of=AS_OF, by=None).renewed == 0
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_a_customer_the_analytics_calls_lost_has_left(org):
    gone, still = scored(org, n=2)
    t_gone = _contract_task(gone, org.alice, ends="2025-07-15")
    t_still = _contract_task(still, org.alice, ends="2025-07-15")
    Customer.objects.filter(pk=gone.pk).update(lifecycle_status=Customer.Lifecycle.LOST)

    result = outcomes.record_outcomes(as_of=AS_OF, by=None)

    assert result.left == 1
    t_gone.refresh_from_db(), t_still.refresh_from_db()
    assert (t_gone.status, t_gone.outcome) == (Task.Status.DONE, Task.Outcome.LEFT)
    assert t_still.status == Task.Status.OPEN
    assert not gone.exit_reasons.exists()  # no reason is made up for them
