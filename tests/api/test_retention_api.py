"""Retention API: the same rules as the pages. Reps act on their own tasks, managers on
their teams', analysts read with free text masked and may not act, partner users see only
shared customers; the policy is read by report roles and written by administrators; bad
input is a 4xx with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer, Interaction
from kehu.retention import services
from kehu.retention.models import ExitReason, PolicyVersion, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(org):
    v = services.current_policy()
    books = {k: {**b, "control_share": 0.0} for k, b in v.playbooks.items()}
    services.policy_save(playbooks=books, cells=v.cells, by=org.root)
    Customer.objects.filter(pk=org.customer.pk).update(tier="key", churn_band="high")
    services.generate_tasks(as_of=dt.date(2026, 12, 1), by=org.root, use_triggers=False)
    t = Task.objects.get()
    Task.objects.filter(pk=t.pk).update(notes="angry about the invoice")
    return t


@pytest.mark.parametrize(("persona", "count"), [
    ("alice", 1), ("bob", 1), ("mia", 1), ("ana", 1), ("root", 1), ("pat", 1),
    ("charlie", 0), ("quinn", 0),
])  # fmt: skip
def test_task_list_follows_visibility(api, task, persona, count):
    response = api(persona).get("/retention/tasks")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_analyst_reads_notes_masked(api, task):
    item = api("ana").get(f"/retention/tasks/{task.pk}").json()
    assert item["notes"] == "****"
    assert api("alice").get(f"/retention/tasks/{task.pk}").json()["notes"].startswith("angry")


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("mia", 200), ("bob", 404), ("charlie", 404), ("pat", 404),
    ("quinn", 404), ("ana", 403),
])  # fmt: skip
def test_complete_per_persona(api, task, persona, status):
    events = AuditEvent.objects.count()
    response = api(persona).post(f"/retention/tasks/{task.pk}/complete", {"outcome": "saved"})
    assert response.status_code == status
    task.refresh_from_db()
    if status == 200:
        assert task.status == "done" and Interaction.objects.count() == 1
    else:
        assert task.status == "open" and not Interaction.objects.exists()
        assert AuditEvent.objects.count() == events


def test_left_without_reason_is_422_with_nothing_written(api, task):
    response = api("alice").post(f"/retention/tasks/{task.pk}/complete", {"outcome": "left"})
    assert response.status_code in (400, 422)
    task.refresh_from_db()
    assert task.status == "open" and not ExitReason.objects.exists()


def test_record_exit_reason(api, org):
    response = api("alice").post(
        f"/customers/{org.customer.pk}/exit-reason", {"reason": "price", "text": "too dear"}
    )
    assert response.status_code == 201
    assert api("ana").get("/retention/exit-reasons").json()["items"][0]["text"] == "****"
    assert (
        api("charlie")
        .post(f"/customers/{org.customer.pk}/exit-reason", {"reason": "price"})
        .status_code
        == 404
    )
    assert ExitReason.objects.count() == 1


@pytest.mark.parametrize(("persona", "read", "write"), [
    ("root", 200, 201), ("mia", 200, 403), ("ana", 200, 403), ("alice", 403, 403),
    ("pat", 403, 403),
])  # fmt: skip
def test_policy_read_and_write(api, org, persona, read, write):
    current = services.current_policy()
    client = api(persona)
    assert client.get("/retention/policy").status_code == read
    response = client.post(
        "/retention/policy", {"playbooks": current.playbooks, "cells": {}, "note": "api"}
    )
    assert response.status_code == write
    assert PolicyVersion.objects.count() == (2 if write == 201 else 1)


def test_bad_policy_is_refused(api, org):
    services.current_policy()
    response = api("root").post(
        "/retention/policy", {"playbooks": {"x": {"steps": [{"kind": "fly"}]}}, "cells": {}}
    )
    assert response.status_code in (400, 422)
    message = response.json()["detail"][0]["msg"]
    assert "unknown kind" in message or "未知类型" in message
    assert PolicyVersion.objects.count() == 1


def test_results_endpoint(api, org, task):
    assert api("alice").get("/retention/results").status_code == 403
    groups = api("mia").get("/retention/results").json()
    assert groups[0]["group"] == "playbook:all_costs"
    assert api("mia").get("/retention/results/playbook:nothing").status_code == 404
