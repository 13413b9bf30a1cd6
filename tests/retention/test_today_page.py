"""The Today page: a rep's due and overdue retention tasks sorted by value at risk; managers
also see their team's overdue work (scope team); other people's tasks never show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.retention.models import Task
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db


def _task(customer, user, *, days=0, priority=100.0, title="Call"):
    return Task.objects.create(
        customer=customer,
        kind=Task.Kind.RETENTION,
        title=title,
        assigned_to=user,
        due_on=timezone.localdate() + dt.timedelta(days=days),
        priority=priority,
        step=1,
        step_kind="call",
        trigger="band",
        trigger_key=f"band:{title}",
    )


def test_rep_sees_own_due_tasks_by_value_at_risk(org, client):
    low, high, later = scored(org, n=3)
    _task(low, org.alice, days=-1, priority=10, title="t-low")
    _task(high, org.alice, days=-3, priority=900, title="t-high")
    _task(later, org.alice, days=5, priority=5000, title="t-future")
    (bobs,) = scored(org, owner=org.bob)
    _task(bobs, org.bob, title="t-bobs")
    body = login(client, org.alice).get("/today/").content.decode()
    assert "t-future" not in body and "t-bobs" not in body
    assert body.index("t-high") < body.index("t-low")


def test_manager_sees_the_team_overdue_list(org, client):
    (customer,) = scored(org)
    _task(customer, org.alice, days=-2, title="overdue-one")
    (today_one,) = scored(org, tier="major")
    _task(today_one, org.alice, days=0, title="due-today")
    body = login(client, org.mia).get("/today/?scope=team").content.decode()
    assert "overdue-one" in body and "due-today" not in body and "alice" in body


def test_rep_cannot_open_the_team_scope(org, client):
    (customer,) = scored(org, owner=org.bob)
    _task(customer, org.bob, days=-2, title="bobs-overdue")
    body = login(client, org.alice).get("/today/?scope=team").content.decode()
    assert "bobs-overdue" not in body


def test_anonymous_goes_to_login(client):
    response = client.get("/today/")
    assert response.status_code == 302 and "/login/" in response["Location"]
