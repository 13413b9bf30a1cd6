"""Birthday and special-day greetings (F5): which holders are greeted on which day, and the
greeting tasks generated for their owners' due lists.

The dates:
- the birthday (customer's or lead's) in the solar calendar; 29 February is kept on
  28 February in the other years;
- chosen dates (``SpecialDate``): a solar month/day, a lunar month/day (a lunar birthday:
  the day moves every Gregorian year; kehu.core.specialdays converts it, keeping the 30th
  on the 29th in a short month), or a festival of kehu.core.specialdays (Spring Festival,
  Mid-Autumn Festival…), whose date for the year that module knows.

``generate`` writes one open greeting task per holder, occasion and date within the window
(``on`` .. ``on + days_ahead``), owned by the holder's owner; generating again writes
nothing new (a unique constraint), so the nightly job may run twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kehu.core import specialdays
from kehu.customers.models import Customer
from kehu.development.models import Lead, SpecialDate, TouchTask

DEFAULT_DAYS_AHEAD = 3
BIRTHDAY = "birthday"


def solar_anniversary(born: dt.date, year: int) -> dt.date:
    """``born``'s month and day in ``year``; 29 February becomes 28 February."""
    last = calendar.monthrange(year, born.month)[1]
    return dt.date(year, born.month, min(born.day, last))


def lunar_dates_in(month: int, day: int, year: int) -> list[dt.date]:
    """The Gregorian dates in ``year`` of lunar ``month``/``day``: lunar years ``year - 1``
    and ``year`` both reach into the Gregorian year, so there may be two (or none)."""
    dates = []
    for lunar_year in (year - 1, year):
        if not specialdays.MIN_YEAR <= lunar_year <= specialdays.MAX_YEAR:
            continue
        try:
            date = specialdays.lunar_to_solar(lunar_year, month, day)
        except ValueError:
            if day != 30:
                continue
            date = specialdays.lunar_to_solar(lunar_year, month, 29)
        if date.year == year:
            dates.append(date)
    return dates


def festival_dates(key: str, year: int) -> list[dt.date]:
    return [d.date for d in specialdays.special_days(year) if d.key == key]


def festival_name(key: str, lang: str = "zh-Hans") -> str:
    for day in specialdays.special_days(2026):
        if day.key == key:
            return day.name(lang)
    return key


def festival_choices() -> list[tuple[str, str]]:
    """Festival keys and their names in both languages (the chosen-date form)."""
    return [(d.key, d.name("both")) for d in specialdays.special_days(2026)]


def special_date_dates(special: SpecialDate, year: int) -> list[dt.date]:
    if special.calendar == SpecialDate.Calendar.FESTIVAL:
        return festival_dates(special.festival, year)
    if not special.month or not special.day:
        return []
    if special.calendar == SpecialDate.Calendar.LUNAR:
        return lunar_dates_in(special.month, special.day, year)
    # 2000 is a leap year: every valid month/day exists in it (checked by the service).
    return [solar_anniversary(dt.date(2000, special.month, special.day), year)]


def _window(on: dt.date, days_ahead: int) -> list[dt.date]:
    return [on + dt.timedelta(days=n) for n in range(days_ahead + 1)]


def occasions(
    *, on: dt.date, days_ahead: int = DEFAULT_DAYS_AHEAD
) -> Iterator[tuple[Customer | Lead, str, str, dt.date]]:
    """(holder, occasion key, label, date) for every greeting falling in the window."""
    days = _window(on, days_ahead)
    first, last = days[0], days[-1]
    # Birthdays: one query per day of the window (month and day of the column); 29 February
    # is asked for on 28 February of the years without it.
    for day in days:
        condition = Q(birthday__month=day.month, birthday__day=day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            condition |= Q(birthday__month=2, birthday__day=29)
        for customer in Customer.objects.filter(condition, is_archived=False).select_related(
            "owner__profile"
        ):
            yield customer, BIRTHDAY, _("Birthday"), day
        for lead in Lead.objects.filter(condition).exclude(status=Lead.Status.DISQUALIFIED):
            yield lead, BIRTHDAY, _("Birthday"), day
    years = sorted({first.year, last.year})
    for special in SpecialDate.objects.select_related("customer", "lead"):
        holder = special.holder
        if holder is None or getattr(holder, "is_archived", False):
            continue
        for year in years:
            for date in special_date_dates(special, year):
                if first <= date <= last:
                    yield holder, f"date:{special.pk}", special.label, date


def _task_for(holder: Customer | Lead, occasion: str, label: str, date: dt.date) -> TouchTask:
    owner = holder.owner
    team_id = holder.team_id
    task = TouchTask(
        kind=TouchTask.Kind.GREETING,
        title=_("Greet %(name)s: %(occasion)s") % {"name": holder.name, "occasion": label},
        due_on=date,
        occasion=occasion,
        owner=owner,
        team_id=team_id,
    )
    if isinstance(holder, Customer):
        task.customer = holder
    else:
        task.lead = holder
    return task


def generate(*, on: dt.date, by: Any, days_ahead: int = DEFAULT_DAYS_AHEAD) -> list[TouchTask]:
    """Greeting tasks for the window; those that exist already are left alone."""
    created = []
    for holder, occasion, label, date in occasions(on=on, days_ahead=days_ahead):
        task = _task_for(holder, occasion, label, date)
        try:
            with transaction.atomic():
                task.save()
        except IntegrityError:  # generated by an earlier run
            continue
        created.append(task)
    return created
