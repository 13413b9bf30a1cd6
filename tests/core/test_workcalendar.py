"""The working calendar as the SLA engine uses it: elapsed business hours (summed over the
intervals a timer ran, so waiting on the customer pauses it), a lunch break, and holidays fed
from an administrator's table instead of the package."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core import workcalendar as W


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_business_hours_between_skips_the_spring_festival():
    cn = W.china()
    # Mon 27 Jan 2025 17:30 → Wed 5 Feb 09:30: 0.5 h + 0.5 h (28 Jan – 4 Feb off).
    assert cn.business_hours_between(at("2025-01-27 17:30"), at("2025-02-05 09:30")) == 1.0
    assert cn.business_hours_between(at("2025-02-05 09:30"), at("2025-01-27 17:30")) == -1.0
    # The make-up Sunday 26 Jan counts a full day.
    assert cn.business_hours_between(at("2025-01-25 00:00"), at("2025-01-27 00:00")) == 9.0


def test_add_and_between_are_inverse():
    cn = W.china()
    start = at("2025-09-26 12:00")
    for hours in (0.5, 4, 9, 10, 23.25, 100):
        end = cn.add_business_hours(start, hours)
        assert cn.business_hours_between(start, end) == pytest.approx(hours)


def test_paused_timer_counts_only_running_intervals():
    cn = W.china()
    # Open Mon 10:00, waiting on the customer Mon 12:00 – Wed 15:00, running again until
    # Wed 17:00: 2 h + 2 h = 4 business hours, not the 2 + 9 + 6 + 2 of the whole span.
    running = [(at("2025-03-10 10:00"), at("2025-03-10 12:00")),
               (at("2025-03-12 15:00"), at("2025-03-12 17:00"))]  # fmt: skip
    assert sum(cn.business_hours_between(a, b) for a, b in running) == 4.0


def test_lunch_break_is_not_working_time():
    cal = W.WorkCalendar(lunch=(dt.time(12, 0), dt.time(13, 30)))
    assert cal.add_business_hours(at("2025-03-10 11:00"), 2) == at("2025-03-10 14:30")
    assert cal.add_business_hours(at("2025-03-10 12:15"), 0) == at("2025-03-10 13:30")
    assert cal.business_hours_between(at("2025-03-10 09:00"), at("2025-03-10 18:00")) == 7.5


def test_holidays_from_an_administrators_table():
    # A company closes on Fri 14 Mar 2025 and works Sat 15 Mar instead.
    days = [W.OfficialDay(dt.date(2025, 3, 14), False, "Company day", "公司日"),
            W.OfficialDay(dt.date(2025, 3, 15), True, "Company day", "公司日")]  # fmt: skip
    cal = W.from_official_days(days)
    assert not cal.is_working_day(dt.date(2025, 3, 14))
    assert cal.is_working_day(dt.date(2025, 3, 15))
    assert cal.add_business_hours(at("2025-03-13 17:00"), 2) == at("2025-03-15 10:00")
    assert cal.years_without_data(dt.date(2025, 1, 1), dt.date(2026, 1, 1)) == [2026]


def test_official_days_seed_names_both_languages():
    days = {d.date: d for d in W.official_days_cn()}
    assert days[dt.date(2025, 1, 29)] == W.OfficialDay(
        dt.date(2025, 1, 29), False, "Spring Festival", "春节"
    )
    assert days[dt.date(2025, 2, 8)].working
    assert days[dt.date(2025, 10, 6)].name_zh == "中秋"


def test_impossible_calendars_are_refused():
    with pytest.raises(W.CalendarError):
        W.WorkCalendar(day_start=dt.time(18, 0), day_end=dt.time(9, 0))
    with pytest.raises(W.CalendarError):
        W.WorkCalendar(lunch=(dt.time(8, 0), dt.time(9, 30)))
    never = W.WorkCalendar(weekend=frozenset(range(7)))
    with pytest.raises(W.CalendarError, match="no working time"):
        never.add_business_hours(at("2025-03-10 09:00"), 1)
