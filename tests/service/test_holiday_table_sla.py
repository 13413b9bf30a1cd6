"""An administrator's change to the holiday table moves the SLA deadlines of new tickets and
the answers of ``kehu service deadline``; removing it moves them back."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.service import holiday_table
from tests.service.conftest import deadline
from tests.service.helpers import local, ticket


@pytest.fixture(autouse=True)
def fresh_calendar():
    holiday_table.forget()
    yield
    holiday_table.forget()


def test_a_new_holiday_pushes_the_resolution_deadline(org):
    # Mon 3 March 2025 09:00, normal priority: 36 business hours → Thu 6 March 18:00.
    before = ticket(org, now="2025-03-03 09:00")
    assert local(before.due_at) == "2025-03-06 18:00"
    holiday_table.set_day(date=dt.date(2025, 3, 4), is_working_day=False, name_zh="公司假日",
                          by=org.root)  # fmt: skip
    after = ticket(org, now="2025-03-03 09:00")
    # Tuesday off: one working day later.
    assert local(after.due_at) == "2025-03-07 18:00"
    assert local(after.first_response_due_at) == "2025-03-03 17:00"
    holiday_table.remove_day(date=dt.date(2025, 3, 4), by=org.root)
    assert local(ticket(org, now="2025-03-03 09:00").due_at) == "2025-03-06 18:00"


def test_a_make_up_working_saturday_shortens_the_wait(org):
    # Fri 7 March 2025 17:00 + 2 h: Monday 10:00; with Saturday worked, Saturday 10:00.
    assert deadline("2025-03-07 17:00", "2") == ("2025-03-10 10:00", "")
    holiday_table.set_day(date=dt.date(2025, 3, 8), is_working_day=True, by=org.root)
    assert deadline("2025-03-07 17:00", "2") == ("2025-03-08 10:00", "")


def test_the_first_edit_keeps_the_official_holidays_of_the_year(org):
    holiday_table.set_day(date=dt.date(2025, 3, 4), is_working_day=False, by=org.root)
    # 2025 is now read from the table alone: the Spring Festival, copied from the package,
    # is still off (Tue 28 Jan – Tue 4 Feb; Sat 8 Feb is a make-up working day).
    assert deadline("2025-01-27 17:00", "2") == ("2025-02-05 10:00", "")
    assert deadline("2025-02-07 17:00", "2") == ("2025-02-08 10:00", "")


def test_a_year_without_official_data_uses_the_table_and_stops_warning(org):
    last, err = deadline("2027-02-05 17:00", "2")
    assert (last, err[:8]) == ("2027-02-08 10:00", "warning:")
    holiday_table.set_day(date=dt.date(2027, 2, 8), is_working_day=False, name_zh="春节",
                          name_en="Spring Festival", by=org.root)  # fmt: skip
    assert deadline("2027-02-05 17:00", "2") == ("2027-02-09 10:00", "")
