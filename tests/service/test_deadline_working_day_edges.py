"""Ordinary weeks: the end of the day, weekends, starts outside working hours, fractions."""

from __future__ import annotations

import pytest

from tests.service.conftest import deadline

CASES = [
    # 17:30 + 1 h: half an hour today, half tomorrow.
    ("2025-03-11 17:30", "1", "2025-03-12 09:30"),
    # Exactly to the end of the day: 18:00, not the next morning.
    ("2025-03-11 17:00", "1", "2025-03-11 18:00"),
    ("2025-03-11 09:00", "9", "2025-03-11 18:00"),
    # Friday 17:30 + 1 h: the weekend is skipped.
    ("2025-03-07 17:30", "1", "2025-03-10 09:30"),
    # A start on Saturday counts from Monday 09:00.
    ("2025-03-08 10:00", "2", "2025-03-10 11:00"),
    # Before opening and after closing.
    ("2025-03-10 07:15", "1", "2025-03-10 10:00"),
    ("2025-03-10 19:00", "1", "2025-03-11 10:00"),
    ("2025-03-10 18:00", "1", "2025-03-11 10:00"),
    # Fractions of an hour.
    ("2025-03-10 09:00", "2.5", "2025-03-10 11:30"),
    ("2025-03-10 09:00", "0.25", "2025-03-10 09:15"),
    ("2025-03-10 16:45", "1.75", "2025-03-11 09:30"),
    # Zero hours: the next working moment.
    ("2025-03-08 10:00", "0", "2025-03-10 09:00"),
    ("2025-03-10 10:20", "0", "2025-03-10 10:20"),
    # An ISO "T" between date and time is accepted too.
    ("2025-03-11T17:30", "1", "2025-03-12 09:30"),
    # Several days: 40 h from Monday 09:00 = four days and 4 h.
    ("2025-03-10 09:00", "40", "2025-03-14 13:00"),
]


@pytest.mark.parametrize(("start", "hours", "expected"), CASES)
def test_working_day_edges(start, hours, expected):
    assert deadline(start, hours) == (expected, "")


def test_weekends_only_calendar_ignores_holidays():
    # The 2025 Spring Festival holiday does not exist on the weekends-only calendar.
    assert deadline("2025-01-27 17:30", "1", "--calendar", "none") == ("2025-01-28 09:30", "")
    assert deadline("2025-01-27 17:30", "1", "--calendar", "cn")[0] == "2025-02-05 09:30"
