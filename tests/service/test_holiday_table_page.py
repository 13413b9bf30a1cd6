"""The holiday calendar page: a year read from the package, from the table, or from nothing
(weekends only, and the page says so); adding and changing days through the form."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service import holiday_table
from kehu.service.models import CalendarDay
from tests.conftest import login


@pytest.fixture(autouse=True)
def fresh_calendar():
    holiday_table.forget()
    yield
    holiday_table.forget()


def _page(client, year, lang="zh-hans"):
    client.cookies["django_language"] = lang
    response = client.get(f"/service/calendar/?year={year}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_year_without_data_says_it_counts_weekends_only(client, org):
    html = _page(login(client, org.root), 2027)
    assert 'id="origin-none"' in html
    assert "2027 年没有节假日数据" in html
    english = _page(client, 2027, "en")
    assert "No holiday data for 2027: deadlines count weekends only" in english


def test_a_year_of_the_package_lists_its_official_days(client, org):
    html = _page(login(client, org.root), 2025)
    assert 'id="origin-package"' in html
    assert 'data-date="2025-01-29"' in html  # 春节
    assert "春节" in html
    assert not CalendarDay.objects.exists()


def test_adding_a_day_seeds_the_year_and_marks_the_change(client, org):
    c = login(client, org.root)
    response = c.post("/service/calendar/day/", {"date": "2027-02-08", "kind": "holiday",
                                                 "name_zh": "春节", "name_en": "Spring Festival"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    row = CalendarDay.objects.get(date="2027-02-08")
    assert (row.is_working_day, row.source, row.name_zh) == (False, "admin", "春节")
    html = _page(c, 2027)
    assert 'id="origin-table"' in html and 'data-date="2027-02-08"' in html
    assert AuditEvent.objects.filter(model="service.calendarday", user=org.root).exists()


def test_changing_a_package_day_copies_the_rest_of_its_year(client, org):
    c = login(client, org.root)
    c.post("/service/calendar/day/", {"date": "2025-02-08", "kind": "holiday"})
    # The make-up working Saturday becomes a day off; the rest of 2025 is the package's.
    assert not CalendarDay.objects.get(date="2025-02-08").is_working_day
    assert CalendarDay.objects.get(date="2025-10-01").source == "package"


def test_seeding_copies_the_official_schedule_once(client, org):
    c = login(client, org.root)
    c.post("/service/calendar/seed/", {"year": "2025"})
    n = CalendarDay.objects.filter(date__year=2025).count()
    assert n > 20
    c.post("/service/calendar/seed/", {"year": "2025"})
    assert CalendarDay.objects.filter(date__year=2025).count() == n


def test_bad_input_names_the_field_and_changes_nothing(client, org):
    c = login(client, org.root)
    audit = AuditEvent.objects.count()
    response = c.post("/service/calendar/day/", {"date": "2025-13-01", "kind": "holiday"},
                      follow=True)  # fmt: skip
    assert response.status_code == 200
    assert "2025-13-01" in response.content.decode()
    response = c.post("/service/calendar/day/", {"date": "2025-03-04", "kind": "party"},
                      follow=True)  # fmt: skip
    assert response.status_code == 200
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.count() == audit
    assert c.get("/service/calendar/?year=abc").status_code == 400
    assert c.get("/service/calendar/?year=1800").status_code == 400
