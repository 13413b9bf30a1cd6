"""When a card is next reviewed and contacted.

Review cadence by potential grade: A daily, B weekly, C monthly. Contact cadence by
priority (the grade's: A top, B middle, C low), configurable in ``KEHU_CONTACT_CADENCE`` as
months between calls and visits; the seed's defaults: top call monthly, visit quarterly;
middle call quarterly, visit half-yearly; low call half-yearly, visit yearly.

Months are added calendar-wise with the day kept where the month has it and the month's
last day otherwise (31 January + 1 month = 28 or 29 February), and a date that falls on a
weekend or official holiday moves to the next working day (kehu.core.workcalendar).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

from django.conf import settings

from kehu.core import workcalendar

PRIORITY_OF_GRADE = {"A": "top", "B": "middle", "C": "low"}
DEFAULT_CONTACT_CADENCE: dict[str, dict[str, int]] = {
    "top": {"call": 1, "visit": 3},
    "middle": {"call": 3, "visit": 6},
    "low": {"call": 6, "visit": 12},
}
# Review intervals: (days, months); exactly one is non-zero.
REVIEW_INTERVAL = {"A": (1, 0), "B": (7, 0), "C": (0, 1)}
MAX_DAYS_SEARCHED = 60


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the target month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@functools.lru_cache(maxsize=1)
def _calendar() -> workcalendar.WorkCalendar:
    return workcalendar.china()


def next_working_day(day: dt.date, cal: workcalendar.WorkCalendar | None = None) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    cal = cal or _calendar()
    for offset in range(MAX_DAYS_SEARCHED):
        candidate = day + dt.timedelta(days=offset)
        if cal.is_working_day(candidate):
            return candidate
    return day


def contact_cadence() -> dict[str, dict[str, int]]:
    configured = getattr(settings, "KEHU_CONTACT_CADENCE", None) or {}
    return {
        priority: {**intervals, **configured.get(priority, {})}
        for priority, intervals in DEFAULT_CONTACT_CADENCE.items()
    }


def next_contact(
    grade: str, kind: str, after: dt.date, cal: workcalendar.WorkCalendar | None = None
) -> dt.date:
    """The next ``kind`` ("call" or "visit") due for a card of ``grade`` last contacted
    (or created) on ``after``."""
    months = contact_cadence()[PRIORITY_OF_GRADE[grade]][kind]
    return next_working_day(add_months(after, months), cal)


def next_review(
    grade: str, after: dt.date, cal: workcalendar.WorkCalendar | None = None
) -> dt.date:
    days, months = REVIEW_INTERVAL[grade]
    due = add_months(after, months) if months else after + dt.timedelta(days=days)
    return next_working_day(due, cal)
