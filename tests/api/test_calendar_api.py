"""The holiday calendar over the API (issue #13: every part works from the UI and the API):
administrators read a year with its origin, copy the official schedule, set and remove a day,
and the SLA deadline follows; every other role gets 403 and nothing changes; a year out of
range or a date that is not one is a 422 naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kehu.core.models import AuditEvent
from kehu.service import sla
from kehu.service.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_admin_reads_seeds_sets_and_removes(api):
    root = api("root")
    year = root.get("/service/calendar/2025")
    assert year.status_code == 200
    body = year.json()
    assert body["origin"] == "package"
    spring = {d["date"]: d for d in body["days"]}
    assert spring["2025-01-28"]["working_day"] is False  # 除夕, Spring Festival 2025
    assert spring["2025-01-26"]["working_day"] is True  # the make-up Sunday

    assert root.post("/service/calendar/2025/seed").json()["copied"] == len(body["days"])
    assert root.get("/service/calendar/2025").json()["origin"] == "table"

    put = root._send("put", "/service/calendar/days/2025-03-04",
                     {"is_working_day": False, "name_zh": "公司日", "name_en": "Company day"})  # fmt: skip
    assert put.status_code == 200, put.content
    assert put.json() == {"date": "2025-03-04", "working_day": False, "name_zh": "公司日",
                          "name_en": "Company day", "source": "admin"}  # fmt: skip
    # Ten business hours from Monday 3 March 09:00 end on Wednesday: Tuesday is off now.
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert sla.add_hours(start, Decimal(10)) == dt.datetime(2025, 3, 5, 10, 0, tzinfo=start.tzinfo)

    assert root.delete("/service/calendar/days/2025-03-04").status_code == 204
    assert not CalendarDay.objects.filter(date=dt.date(2025, 3, 4)).exists()


@pytest.mark.parametrize("persona", ["alice", "charlie", "mia", "sam", "ana", "pat"])
def test_other_roles_are_refused(api, persona):
    client = api(persona)
    audit = AuditEvent.objects.count()
    assert client.get("/service/calendar/2025").status_code == 403
    assert client.post("/service/calendar/2025/seed").status_code == 403
    put = client._send("put", "/service/calendar/days/2025-03-04", {"is_working_day": False})
    assert put.status_code == 403
    assert client.delete("/service/calendar/days/2025-01-28").status_code == 403
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.count() == audit


def test_bad_input_names_the_field(api):
    root = api("root")
    for response, field in [
        (root.get("/service/calendar/1850"), "year"),
        (root._send("put", "/service/calendar/days/2025-02-30", {"is_working_day": True}), "date"),
        (root._send("put", "/service/calendar/days/tomorrow", {"is_working_day": True}), "date"),
        (root.delete("/service/calendar/days/2025-03-04"), "date"),
    ]:
        assert response.status_code == 422, response.content
        assert field in response.content.decode()
    assert not CalendarDay.objects.exists()
