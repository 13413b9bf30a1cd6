"""Tickets on the Today page: the agent's own due by today, the manager's teams' overdue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kehu.core import duelist
from kehu.service.models import Ticket
from tests.service.helpers import ticket


def test_mine_and_team(org):
    t = ticket(org, assignee=org.bob, now="2025-03-03 09:00")
    Ticket.objects.filter(pk=t.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    today = timezone.localdate()
    mine = duelist.due_items(user=org.bob, today=today, only=["service"])
    assert [i.url for i in mine] == [f"/service/{t.pk}/"]
    team = duelist.due_items(user=org.mia, today=today, scope="team", only=["service"])
    assert [i.title for i in team] == [f"#T{t.pk} 打印机卡纸"]
    assert duelist.due_items(user=org.charlie, today=today, only=["service"]) == []
