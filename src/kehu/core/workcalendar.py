"""Working calendars: which moments are business time, and business-hour arithmetic.

A :class:`WorkCalendar` is a working day (``day_start``–``day_end``, optionally without a lunch
break) on working days. A day is a working day when it is a listed make-up working day
(``workdays``: a weekend day worked in exchange for a holiday, 调休), else when it is neither a
listed holiday nor a weekend day. The holiday data is plain sets of dates, so the SLA engine can
build a calendar from the package's official schedule (:func:`china`) or from a table an
administrator edits, and pause timers by summing :meth:`WorkCalendar.business_hours_between`
over the intervals a ticket was running.

China's State Council publishes each year's schedule in the late autumn before, so the data
ends at a year: ``known_years`` says which years it covers, and for the others the calendar
counts weekends only; :meth:`WorkCalendar.years_without_data` tells the caller which years of a
span those are, so it can say so.

Times are wall-clock times in the calendar's own zone: pass naive local datetimes, or aware
ones in that zone (China has no daylight-saving time, so adding hours never meets a gap).

Plain Python (no Django).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
MAX_DAYS_SEARCHED = 3660  # ten years without a working day means a broken calendar
# About 45 years of nine-hour working days: far beyond any service target, and a bound that
# keeps the day-by-day walk short.
MAX_HOURS = 100_000


class CalendarError(ValueError):
    """A calendar that cannot answer (no working time, bad hours)."""


@dataclass(frozen=True)
class OfficialDay:
    """One day of an official schedule: a holiday, or a weekend day that is worked."""

    date: dt.date
    working: bool
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    day_start: dt.time = dt.time(9, 0)
    day_end: dt.time = dt.time(18, 0)
    lunch: tuple[dt.time, dt.time] | None = None
    weekend: frozenset[int] = WEEKEND
    # Years the holiday data covers; None: no holiday data is expected (weekends-only calendar).
    known_years: frozenset[int] | None = None
    _periods: tuple[tuple[dt.time, dt.time], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.day_start < self.day_end:
            raise CalendarError("the working day must start before it ends")
        periods = [(self.day_start, self.day_end)]
        if self.lunch is not None:
            begin, end = self.lunch
            if not self.day_start < begin < end < self.day_end:
                raise CalendarError("the lunch break must lie inside the working day")
            periods = [(self.day_start, begin), (end, self.day_end)]
        object.__setattr__(self, "_periods", tuple(periods))

    # ------------------------------------------------------------------ days

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() not in self.weekend

    def working_periods(
        self, day: dt.date, tzinfo: dt.tzinfo | None = None
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's working intervals ``[start, end)``, empty on a day off."""
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, a, tzinfo), dt.datetime.combine(day, b, tzinfo))
            for a, b in self._periods
        ]

    def _periods_from(self, moment: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Working intervals ending after ``moment``, in order (clipped to start at it)."""
        day, idle = moment.date(), 0
        while idle < MAX_DAYS_SEARCHED:
            idle += 1
            for begin, end in self.working_periods(day, moment.tzinfo):
                if end > moment:
                    idle = 0
                    yield max(begin, moment), end
            if day == dt.date.max:
                raise CalendarError("the deadline is after the year 9999")
            day += dt.timedelta(days=1)
        raise CalendarError(f"no working time within {MAX_DAYS_SEARCHED} days after {day}")

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if it is business time, else the start of the next working period."""
        return next(self._periods_from(moment))[0]

    # ------------------------------------------------------------------ arithmetic

    def add_business_hours(self, start: dt.datetime, hours: float | Decimal) -> dt.datetime:
        """The moment ``hours`` business hours after ``start``.

        A start outside business time counts from the next working moment. A deadline that
        uses up a period exactly is that period's end (18:00), not the next morning.
        """
        remaining = _duration(hours)
        if remaining == dt.timedelta(0):
            return self.next_working_moment(start)
        for begin, end in self._periods_from(start):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: _periods_from raises first")

    def business_hours_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Business hours from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        if b < a:
            return -self.business_hours_between(b, a)
        total = dt.timedelta(0)
        for begin, end in self._periods_from(a):
            if begin >= b:
                break
            total += min(end, b) - begin
        return total / dt.timedelta(hours=1)

    # ------------------------------------------------------------------ data coverage

    def years_without_data(self, a: dt.date, b: dt.date) -> list[int]:
        """Years from ``a`` to ``b`` for which the calendar has no holiday data."""
        if self.known_years is None:
            return []
        low, high = sorted((a.year, b.year))
        return [y for y in range(low, high + 1) if y not in self.known_years]


def _duration(hours: float | Decimal) -> dt.timedelta:
    # Through Decimal and whole microseconds, so 2.1 hours is 2 h 6 min exactly, not a
    # microsecond short because 2.1 has no exact binary form.
    value = Decimal(str(hours)) if not isinstance(hours, Decimal) else hours
    if not value.is_finite() or value < 0:
        raise CalendarError(f"business hours must be a number ≥ 0, not {hours}")
    if value > MAX_HOURS:
        raise CalendarError(f"business hours must be at most {MAX_HOURS:,}, not {hours}")
    micro = (value * 3_600_000_000).to_integral_value()
    return dt.timedelta(microseconds=int(micro))


# --------------------------------------------------------------------------- calendars


def weekends_only(**hours: object) -> WorkCalendar:
    """Monday to Friday, no holidays."""
    return WorkCalendar(**hours)  # type: ignore[arg-type]


def official_days_cn() -> list[OfficialDay]:
    """China's official holidays and make-up working days, from the ``chinesecalendar`` package.

    The seed for an administrator-edited holiday table: every holiday (including the weekend
    days inside a holiday block) and every make-up working day, with its festival's name.
    """
    from chinese_calendar import constants

    # The package's values are the English names; its enum adds the Chinese one.
    names = {h.value: (h.value, h.chinese) for h in constants.Holiday}
    days = [
        OfficialDay(day, False, *names.get(value, (str(value), str(value))))
        for day, value in constants.holidays.items()
    ]
    days += [
        OfficialDay(day, True, *names.get(value, (str(value), str(value))))
        for day, value in constants.workdays.items()
    ]
    return sorted(days, key=lambda d: d.date)


def covered_years(days: Iterable[OfficialDay]) -> frozenset[int]:
    """Every year from the first to the last one with a listed holiday: the State Council has
    published a schedule every year since 1999, and each has at least New Year's Day."""
    years = {d.date.year for d in days if not d.working}
    return frozenset(range(min(years), max(years) + 1)) if years else frozenset()


def from_official_days(
    days: Iterable[OfficialDay], *, known_years: Iterable[int] | None = None, **hours: object
) -> WorkCalendar:
    """A calendar from official days; the years they cover (:func:`covered_years`, unless
    ``known_years`` says) are the calendar's known years."""
    days = list(days)
    known = frozenset(known_years) if known_years is not None else covered_years(days)
    return WorkCalendar(
        holidays=frozenset(d.date for d in days if not d.working),
        workdays=frozenset(d.date for d in days if d.working),
        known_years=known,
        **hours,  # type: ignore[arg-type]
    )


# Days an administrator keeps, by year (``kehu.core.holiday_table`` registers the reader of
# its table when Django starts; this module stays plain Python). A year the source returns
# days for is taken from them alone, every other year from the package.
DaySource = Callable[[], dict[int, list[OfficialDay]]]
_day_source: DaySource | None = None


def set_day_source(source: DaySource | None) -> None:
    global _day_source
    _day_source = source


def merged_days(
    package: list[OfficialDay], table: dict[int, list[OfficialDay]]
) -> tuple[list[OfficialDay], frozenset[int]]:
    """The package's days with the table's years replacing the package's, and the years the
    result covers (the package's span plus every year of the table)."""
    known = covered_years(package) | frozenset(table)
    days = [d for d in package if d.date.year not in table]
    days += [d for year_days in table.values() for d in year_days]
    return sorted(days, key=lambda d: d.date), known


def china(**hours: object) -> WorkCalendar:
    """China's official working days (holidays off, make-up weekend days on): the
    administrator's table for the years it has, the package for the others."""
    table = _day_source() if _day_source is not None else {}
    days, known = merged_days(official_days_cn(), table)
    return from_official_days(days, known_years=known, **hours)


CALENDARS = {"cn": china, "none": weekends_only}


def by_name(name: str, **hours: object) -> WorkCalendar:
    """``cn`` (China's official calendar) or ``none`` (weekends only), case-insensitive."""
    try:
        make = CALENDARS[name.strip().lower()]
    except KeyError:
        known = ", ".join(k.upper() if k == "cn" else k for k in CALENDARS)
        raise CalendarError(f"unknown calendar {name!r} (known: {known})") from None
    return make(**hours)
