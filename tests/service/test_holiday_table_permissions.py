"""Only administrators see and edit the holiday calendar (it moves every deadline); a refused
edit changes nothing, neither the table nor the audit trail."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service.models import CalendarDay
from tests.conftest import login

STATUS = {"alice": 403, "bob": 403, "charlie": 403, "mia": 403, "sam": 403, "ana": 403,
          "pat": 403, "quinn": 403, "root": 200}  # fmt: skip


@pytest.mark.parametrize("persona,status", STATUS.items())
def test_page(client, org, persona, status):
    assert login(client, getattr(org, persona)).get("/service/calendar/").status_code == status


@pytest.mark.parametrize("persona", [p for p, s in STATUS.items() if s == 403])
def test_refused_edits_change_nothing(client, org, persona):
    c = login(client, getattr(org, persona))
    audit = AuditEvent.objects.count()
    day = c.post("/service/calendar/day/", {"date": "2025-03-04", "kind": "holiday"})
    seed = c.post("/service/calendar/seed/", {"year": "2025"})
    assert (day.status_code, seed.status_code) == (403, 403)
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.count() == audit


def test_anonymous_is_sent_to_sign_in(client, org):
    assert client.post("/service/calendar/day/", {"date": "2025-03-04"}).status_code == 302
    assert not CalendarDay.objects.exists()
