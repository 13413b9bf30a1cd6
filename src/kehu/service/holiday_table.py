"""The holiday calendar the administrator edits (``CalendarDay``), and how the working
calendar reads it.

``kehu.core.workcalendar.china()`` (so the SLA deadlines and ``kehu service deadline``) takes
a year from this table when the table has any row for it, and from the ``chinesecalendar``
package otherwise; a year neither covers counts weekends only, and the calendar page says so.
The reader is registered from ``ServiceConfig.ready`` (core cannot import this app).

The first edit of a year copies the package's days for it (source "package"), so an edit
changes one day of the official schedule, not replaces it with that single day. Edits are
administrators' (``may_edit``), audited, and clear the SLA's cached calendar at once in this
process; other processes see them within ``RECHECK_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.db.models import Count, Max

from kehu.core import audit, permissions
from kehu.core import workcalendar as W
from kehu.core.models import Role
from kehu.service.models import CalendarDay

RECHECK_SECONDS = 5.0
# No table to read: not migrated or unreachable (DatabaseError), no database configured, or
# database access refused (pytest-django raises RuntimeError outside database tests). The
# deadline command must still answer from the package then.
UNREADABLE = (DatabaseError, ImproperlyConfigured, RuntimeError)
MIN_YEAR, MAX_YEAR = 2000, 2100


class HolidayError(ValueError):
    """Bad input for an edit (names the field)."""


def may_edit(user: Any) -> bool:
    """The working calendar moves every deadline: administrators only."""
    return permissions.role_of(user) == Role.ADMIN


# --------------------------------------------------------------------------- reads


def _as_official(row: CalendarDay) -> W.OfficialDay:
    return W.OfficialDay(row.date, row.is_working_day, row.name_en, row.name_zh)


def table_days() -> dict[int, list[W.OfficialDay]]:
    """The table's days by year (a few dozen rows a year). A database without the table
    (not migrated yet, or unreachable from a script) reads as empty: the package answers."""
    try:
        with transaction.atomic():
            rows = list(CalendarDay.objects.order_by("date"))
    except UNREADABLE:
        return {}
    out: dict[int, list[W.OfficialDay]] = defaultdict(list)
    for row in rows:
        out[row.date.year].append(_as_official(row))
    return dict(out)


_state: dict[str, Any] = {"checked": 0.0, "version": None}


def version() -> tuple[int, str]:
    """What the cached calendars are keyed on: the table's row count and last change. Read
    from the database at most every ``RECHECK_SECONDS`` (the demo computes a deadline per
    ticket; one query each would cost more than the arithmetic)."""
    now = time.monotonic()
    if _state["version"] is not None and now - _state["checked"] < RECHECK_SECONDS:
        return _state["version"]
    try:
        with transaction.atomic():
            agg = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        value = (agg["n"], str(agg["last"] or ""))
    except UNREADABLE:
        value = (0, "")
    _state.update(checked=now, version=value)
    return value


def forget() -> None:
    """Re-read the table on the next deadline (after an edit; tests after a rollback)."""
    _state.update(checked=0.0, version=None)


def register() -> None:
    W.set_day_source(table_days)


@dataclass
class DayRow:
    date: dt.date
    working: bool
    name: str
    source: str  # "package", "admin", or "" for a day only the package lists
    weekend: bool


@dataclass
class YearView:
    year: int
    origin: str  # "table", "package" or "none" (weekends only)
    days: list[DayRow]
    package_first: int | None
    package_last: int | None

    @property
    def holidays(self) -> int:
        return sum(1 for d in self.days if not d.working)

    @property
    def workdays(self) -> int:
        return sum(1 for d in self.days if d.working)


def year_view(year: int, *, lang: str = "zh-Hans") -> YearView:
    """A year's special days as the SLA counts them, and where they come from."""
    package = [d for d in W.official_days_cn() if d.date.year == year]
    covered = W.covered_years(W.official_days_cn())
    rows = list(CalendarDay.objects.filter(date__year=year).order_by("date"))

    def name(zh: str, en: str) -> str:
        return (zh or en) if lang.startswith("zh") else (en or zh)

    if rows:
        origin = "table"
        days = [
            DayRow(
                r.date,
                r.is_working_day,
                name(r.name_zh, r.name_en),
                r.source,
                r.date.weekday() in W.WEEKEND,
            )  # fmt: skip
            for r in rows
        ]
    else:
        origin = "package" if year in covered else "none"
        days = [
            DayRow(d.date, d.working, name(d.name_zh, d.name_en), "", d.date.weekday() in W.WEEKEND)
            for d in package
        ]
    return YearView(
        year=year,
        origin=origin,
        days=days,
        package_first=min(covered) if covered else None,
        package_last=max(covered) if covered else None,
    )


# --------------------------------------------------------------------------- writes


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise HolidayError(f"year: {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return year


def _seed(year: int) -> int:
    """Copy the package's days of ``year`` into the table (when it has none for it yet)."""
    if CalendarDay.objects.filter(date__year=year).exists():
        return 0
    days = [d for d in W.official_days_cn() if d.date.year == year]
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=d.date,
            is_working_day=d.working,
            name_zh=d.name_zh,
            name_en=d.name_en,
            source=CalendarDay.Source.PACKAGE,
        )
        for d in days
    )
    return len(days)


@transaction.atomic
def seed_year(*, year: int, by: Any) -> int:
    """Copy the official schedule of ``year`` from the package into the table; the number of
    days copied (0 when the table already has the year, or the package does not)."""
    if not may_edit(by):
        raise PermissionError("only administrators edit the holiday calendar")
    check_year(year)
    with audit.actor(by):
        n = _seed(year)
        if n:
            audit.record(
                action="create", model="service.calendarday", object_id=str(year),
                summary=f"holiday calendar {year}: {n} days copied from the official schedule",
            )  # fmt: skip
    forget()
    return n


@transaction.atomic
def set_day(
    *, date: dt.date, is_working_day: bool, name_zh: str = "", name_en: str = "", by: Any
) -> CalendarDay:
    """Make ``date`` a holiday or a working day (with its name), seeding its year first."""
    if not may_edit(by):
        raise PermissionError("only administrators edit the holiday calendar")
    check_year(date.year)
    name_zh, name_en = name_zh.strip()[:100], name_en.strip()[:100]
    with audit.actor(by):
        _seed(date.year)
        row = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = None
        if row is None:
            row = CalendarDay(date=date)
        else:
            before = (row.is_working_day, row.name_zh, row.name_en)
        row.is_working_day = is_working_day
        row.name_zh, row.name_en = name_zh, name_en
        row.source = CalendarDay.Source.ADMIN
        row.save()
        audit.record(
            action="create" if before is None else "update",
            instance=row,
            changes={"is_working_day": [before[0] if before else None, is_working_day],
                     "name": [f"{before[1]} {before[2]}".strip() if before else None,
                              f"{name_zh} {name_en}".strip()]},
            summary=f"holiday calendar: {date} {'working day' if is_working_day else 'day off'}",
        )  # fmt: skip
    forget()
    return row


@transaction.atomic
def remove_day(*, date: dt.date, by: Any) -> bool:
    """Drop ``date`` from the table: it counts as an ordinary weekday or weekend day again
    (the rest of its year stays as the table has it)."""
    if not may_edit(by):
        raise PermissionError("only administrators edit the holiday calendar")
    check_year(date.year)
    with audit.actor(by):
        # Seed first: removing a package day of a year the table lacks takes it out of the
        # copied schedule (a year left with no rows at all goes back to the package).
        _seed(date.year)
        row = CalendarDay.objects.filter(date=date).first()
        if row is None:
            return False
        row.delete()
        audit.record(
            action="delete", model="service.calendarday", object_id=str(row.pk),
            summary=f"holiday calendar: {date} removed",
        )  # fmt: skip
    forget()
    return True
