"""Task generation from the nightly scores: the policy's first step for each customer it
pursues, owner, due date, priority = value at risk, policy version; idempotent; small
customers and flagged customers get none; triggers raise tasks for low-band customers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.customers.models import Customer
from kehu.retention import services
from kehu.retention.models import ControlAssignment, Task, WorthFlag
from kehu.service.models import Ticket
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 1)


def _no_controls(org):
    # A policy without control groups, so each pursued customer gets a task.
    v = services.current_policy()
    books = {k: {**b, "control_share": 0.0} for k, b in v.playbooks.items()}
    services.policy_save(playbooks=books, cells=v.cells, by=org.root)


def test_task_fields_from_the_policy(org):
    _no_controls(org)
    (customer,) = scored(org, tier="key", band="high", var=4321)
    result = services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    task = Task.objects.get()
    assert result.created == 1
    assert task.customer == customer and task.assigned_to == org.alice
    assert (task.playbook, task.step, task.step_kind) == ("all_costs", 1, "call")
    assert task.due_on == AS_OF + dt.timedelta(days=2)
    assert task.priority == 4321
    assert task.policy_version.number == 2


def test_running_twice_creates_no_duplicates(org):
    _no_controls(org)
    scored(org, n=3, tier="major", band="medium")
    services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    again = services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    assert again.created == 0 and again.already_open == 3
    assert Task.objects.count() == 3


def test_small_and_low_band_get_nothing(org):
    scored(org, tier="small", band="high")
    scored(org, tier="key", band="low")
    result = services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    assert result.created == 0 and Task.objects.count() == 0
    assert ControlAssignment.objects.count() == 0


def test_flagged_customers_get_no_playbook_and_lose_open_tasks(org):
    _no_controls(org)
    a, b = scored(org, n=2, tier="key", band="high")
    services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    services.flag_customer(customer=a, reason=WorthFlag.Reason.NO_PROFIT, by=org.mia)
    assert Task.objects.get(customer=a).status == Task.Status.CANCELLED
    Task.objects.filter(customer=b).update(status=Task.Status.DONE)
    result = services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    assert result.flagged == 1
    assert not Task.objects.filter(customer=a, status=Task.Status.OPEN).exists()


def test_harms_staff_needs_a_note(org):
    (a,) = scored(org)
    with pytest.raises(Exception, match="note"):
        services.flag_customer(customer=a, reason=WorthFlag.Reason.HARMS_STAFF, by=org.mia)
    assert not WorthFlag.objects.exists()


def test_complaint_past_deadline_and_contract_end_trigger_tasks(org):
    _no_controls(org)
    (complained,) = scored(org, tier="major", band="low")
    (ending,) = scored(org, tier="ordinary", band="low", attributes={"contract_end": "2026-12-20"})
    scored(org, tier="ordinary", band="low", attributes={"contract_end": "2027-06-01"})
    Ticket.objects.create(
        customer=complained,
        kind=Ticket.Kind.COMPLAINT,
        subject="late delivery",
        due_at=timezone.make_aware(dt.datetime(2026, 11, 20)),
    )
    result = services.generate_tasks(as_of=AS_OF, by=org.root)
    by_customer = dict(Task.objects.values_list("customer_id", "trigger"))
    assert by_customer[complained.pk] == "complaint"
    assert by_customer[ending.pk] == "contract_end"
    assert result.by_trigger.get("complaint") == 1
    assert Customer.objects.count() >= 4  # the org's own customer is untouched
