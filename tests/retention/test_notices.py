"""Retention work is announced (issue #11: in-app notifications, e-mail where configured): one
notice per owner for the tasks a run created, and a daily overdue reminder to each owner and to
the managers of their team — counted per person, in the person's language, never one notice
per task."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import Profile
from kehu.notifications.models import Notification
from kehu.retention import notices, services
from kehu.retention.models import Task
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 30)


def _task(customer, user, *, due, title):
    return Task.objects.create(
        customer=customer, kind=Task.Kind.RETENTION, title=title, assigned_to=user, due_on=due,
        priority=1.0, step=1, step_kind="call", trigger="band", trigger_key=f"band:{title}",
    )  # fmt: skip


def test_one_notice_per_owner_for_new_tasks(org):
    Profile.objects.filter(user=org.bob).update(language="en")
    assert notices.tell_new_tasks([org.alice.pk, org.alice.pk, org.alice.pk, org.bob.pk, None]) == 2
    alice = Notification.objects.get(recipient=org.alice)
    bob = Notification.objects.get(recipient=org.bob)
    assert (alice.title, alice.url, alice.kind) == ("今天列表中有 3 个新的挽留任务", "/today/",
                                                    notices.KIND_NEW)  # fmt: skip
    assert bob.title == "1 new retention task on your Today list"


def test_overdue_reminders_to_owners_and_their_managers(org, settings):
    Profile.objects.filter(user__in=[org.alice, org.mia]).update(language="en")
    a, b = scored(org, n=2)
    (c,) = scored(org, owner=org.charlie)
    _task(a, org.alice, due=TODAY - dt.timedelta(days=3), title="a")
    _task(b, org.alice, due=TODAY - dt.timedelta(days=1), title="b")
    _task(b, org.bob, due=TODAY, title="due today, not overdue")
    _task(c, org.charlie, due=TODAY - dt.timedelta(days=9), title="c")
    done = _task(c, org.charlie, due=TODAY - dt.timedelta(days=9), title="done")
    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)

    assert notices.remind_overdue(today=TODAY) == 3  # alice, charlie, and mia for North
    told = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert set(told) == {"alice", "charlie", "mia"}
    assert told["alice"].title == "2 retention tasks are overdue"
    assert told["mia"].title == "2 retention tasks are overdue in your teams"
    assert told["mia"].url == "/today/?scope=team"
    assert told["charlie"].title == "1 个挽留任务已逾期"


def test_generating_tasks_tells_each_owner_once(org):
    scored(org, n=12)
    result = services.generate_tasks(as_of=TODAY, by=org.root, use_triggers=False)
    assert result.created > 1
    told = Notification.objects.get(recipient=org.alice, kind=notices.KIND_NEW)
    assert told.title == f"今天列表中有 {result.created} 个新的挽留任务"
    again = services.generate_tasks(as_of=TODAY, by=org.root, use_triggers=False)
    assert again.created == 0
    assert Notification.objects.filter(kind=notices.KIND_NEW).count() == 1  # nothing new
