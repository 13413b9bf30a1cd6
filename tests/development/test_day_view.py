"""The development day (F6): what each rep did on a chosen day — contacts, new leads,
conversions, touches — for a manager's team; a rep sees only their own day."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kehu.development import review, services, touches
from kehu.development.models import Lead
from tests.conftest import login
from tests.development.conftest import qualify_all


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_a_day_of_work(client, org, leads):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    services.touch_log(
        lead=leads.north, by=org.alice, kind="call", subject="首次电话", occurred_at=_at(today, 9)
    )
    services.touch_log(
        lead=leads.north,
        by=org.alice,
        kind="call",
        subject="昨天的电话",
        occurred_at=_at(yesterday, 9),
    )
    qualify_all(leads.north, org.alice)
    services.lead_convert(lead=leads.north, by=org.alice)
    task = touches.task_create(
        by=org.bob, kind="visit", title="拜访", due_on=today, holder=leads.p1
    )
    touches.task_done(task=task, by=org.bob)
    rows = {r.user.username: r for r in review.development_day(user=org.mia, day=today)}
    alice, bob = rows["alice"], rows["bob"]
    # The conversion copies the lead's touches onto the new customer: each call counts once.
    assert [c["subject"] for c in alice.contacts if c["subject"] == "首次电话"] == ["首次电话"]
    assert "昨天的电话" not in [c["subject"] for c in alice.contacts]
    assert [lead.name for lead in alice.leads] == ["李娜"]
    assert [lead.name for lead in alice.conversions] == ["李娜"]
    assert [lead.name for lead in bob.leads] == ["赵敏"] and len(bob.touches) == 1
    assert "charlie" not in rows
    assert rows["mia"].idle
    past = {r.user.username: r for r in review.development_day(user=org.mia, day=yesterday)}
    assert [c["subject"] for c in past["alice"].contacts] == ["昨天的电话"]
    assert not past["alice"].conversions


def test_rep_sees_own_day_only(client, org, leads):
    r = login(client, org.alice).get(reverse("development:day"))
    assert r.status_code == 200
    assert [row.user.username for row in r.context["rows"]] == ["alice"]
    assert login(client, org.ana).get(reverse("development:day")).status_code == 403
    assert (
        login(client, org.alice).get(reverse("development:day"), {"on": "2026-13-40"}).status_code
        == 400
    )
    assert Lead.objects.count() == 3
