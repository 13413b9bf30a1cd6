"""Visits and invitations are tasks on the owner's due list; done, they are logged on the
timeline (the customer's interactions, the lead's touches); a greeting can be sent by
e-mail; someone who cannot see the holder gets 404 and nothing changes."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse

from kehu.core.models import AuditEvent
from kehu.customers.models import Interaction
from kehu.development import due, greetings, touches
from kehu.development.models import LeadTouch, TouchTask
from tests.conftest import login


def test_visit_on_due_list_and_logged_when_done(client, org):
    task = touches.task_create(
        by=org.alice,
        kind="visit",
        title="上门拜访",
        due_on=dt.date(2026, 3, 2),
        holder=org.customer,
    )
    items = due.touch_source(user=org.alice, today=dt.date(2026, 3, 2))
    assert [i.title for i in items] == ["上门拜访"]
    r = login(client, org.alice).post(
        reverse("development:touch_task_done", args=[task.pk]), {"notes": "谈了新品"}
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == org.alice
    logged = Interaction.objects.get(customer=org.customer, subject="上门拜访")
    assert logged.channel == "field" and logged.notes == "谈了新品" and logged.user == org.alice
    assert not due.touch_source(user=org.alice, today=dt.date(2026, 3, 2))


def test_invitation_for_a_lead_is_a_lead_touch(org, leads):
    task = touches.task_create(
        by=org.alice,
        kind="invitation",
        title="展会邀请",
        due_on=dt.date(2026, 4, 1),
        holder=leads.north,
    )
    touches.task_done(task=task, by=org.alice)
    assert LeadTouch.objects.get(lead=leads.north).kind == "mail"


def test_greeting_sent_by_email(org):
    org.customer.birthday = dt.date(1990, 7, 1)
    org.customer.save()
    (task,) = greetings.generate(on=dt.date(2026, 7, 1), by=None, days_ahead=0)
    touches.task_done(task=task, by=org.alice, notes="生日快乐！", send_email=True)
    assert [m.to for m in mail.outbox] == [["zhang.wei@example.com"]]
    assert mail.outbox[0].body == "生日快乐！"
    assert Interaction.objects.get(customer=org.customer, channel="email").subject == task.title


def test_outsider_refused_and_nothing_changes(client, org):
    task = touches.task_create(
        by=org.alice, kind="visit", title="拜访", due_on=dt.date(2026, 3, 2), holder=org.customer
    )
    events = AuditEvent.objects.count()
    login(client, org.charlie)
    assert client.get(reverse("development:touch_task", args=[task.pk])).status_code == 404
    assert client.post(reverse("development:touch_task_done", args=[task.pk])).status_code == 404
    r = client.post(
        reverse("development:holder_touches", args=["customer", org.customer.pk]),
        {"form": "task", "kind": "visit", "title": "x", "due_on": "2026-03-03"},
    )
    assert r.status_code == 404
    task.refresh_from_db()
    assert task.status == "open" and TouchTask.objects.count() == 1
    assert (
        AuditEvent.objects.count() == events
        and not Interaction.objects.filter(subject="拜访").exists()
    )


def test_holder_page_adds_dates_and_tasks(client, org, leads):
    login(client, org.alice)
    url = reverse("development:holder_touches", args=["lead", leads.north.pk])
    r = client.post(
        url, {"form": "date", "label": "农历生日", "calendar": "lunar", "month": 8, "day": 15}
    )
    assert r.status_code == 302
    r = client.post(url, {"form": "date", "label": "x", "calendar": "solar", "month": 2, "day": 30})
    assert r.status_code == 422
    r = client.post(url, {"form": "task", "kind": "visit", "title": "拜访", "due_on": "2026-03-03"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "农历生日" in page and "拜访" in page
