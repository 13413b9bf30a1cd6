"""Completing a task in two clicks with an outcome: the contact is logged on the customer's
timeline, 'not reached' brings the playbook's next step, 'left' needs and records an exit
reason; others' tasks are refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Interaction
from kehu.retention import services
from kehu.retention.models import ExitReason, Task
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture
def task(org):
    v = services.current_policy()
    books = {k: {**b, "control_share": 0.0} for k, b in v.playbooks.items()}
    services.policy_save(playbooks=books, cells=v.cells, by=org.root)
    scored(org, tier="key", band="high")
    services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    return Task.objects.get()


def test_saved_closes_and_logs_the_contact(org, client, task):
    response = login(client, org.alice).post(
        f"/retention/tasks/{task.pk}/complete/", {"outcome": "saved", "note": "happy again"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.outcome, task.done_by) == ("done", "saved", org.alice)
    contact = Interaction.objects.get(customer=task.customer)
    assert contact.outcome == "resolved" and contact.user == org.alice
    assert Task.objects.count() == 1


def test_not_reached_brings_the_next_step(org, client, task):
    login(client, org.alice).post(
        f"/retention/tasks/{task.pk}/complete/", {"outcome": "not_reached"}
    )
    nxt = Task.objects.get(status="open")
    assert (nxt.step, nxt.step_kind, nxt.policy_version) == (2, "visit", task.policy_version)


def test_left_records_the_reason(org, client, task):
    login(client, org.alice).post(
        f"/retention/tasks/{task.pk}/complete/",
        {"outcome": "left", "reason": "competitor", "reason_text": "cheaper elsewhere"},
    )
    exit_ = ExitReason.objects.get()
    assert (exit_.reason, exit_.text, exit_.tier) == ("competitor", "cheaper elsewhere", "key")


def test_left_without_reason_is_refused_with_nothing_written(org, client, task):
    response = login(client, org.alice).post(
        f"/retention/tasks/{task.pk}/complete/", {"outcome": "left"}
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == "open" and not Interaction.objects.exists()
    assert not ExitReason.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [
    ("bob", 404), ("charlie", 404), ("pat", 404), ("ana", 403), ("quinn", 404),
])  # fmt: skip
def test_others_may_not_complete(org, client, task, persona, status):
    events = AuditEvent.objects.count()
    response = login(client, getattr(org, persona)).post(
        f"/retention/tasks/{task.pk}/complete/", {"outcome": "saved"}
    )
    assert response.status_code == status
    task.refresh_from_db()
    assert task.status == "open"
    assert AuditEvent.objects.count() == events


def test_manager_may_complete_for_the_team(org, client, task):
    response = login(client, org.mia).post(
        f"/retention/tasks/{task.pk}/complete/", {"outcome": "saved"}
    )
    assert response.status_code == 302
