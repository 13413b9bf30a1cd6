"""The holiday calendar the SLA deadlines count with (issue #13): a year's holidays and make-up
working days and where they come from, and the administrator's edits, as on the calendar page
(``kehu.service.holiday_table``, the one home of the rules; administrators only, 403 for every
other role). A year outside the editable range or a date that is not one is a 422 naming it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Path, Router, Schema, Status
from pydantic import Field

from kehu.api.common import ApiRequest, require
from kehu.service import holiday_table

router = Router(tags=["service"])


class DayIn(Schema):
    is_working_day: bool
    name_zh: str = Field("", max_length=100)
    name_en: str = Field("", max_length=100)


def _year(year: int) -> int:
    try:
        return holiday_table.check_year(year)
    except holiday_table.HolidayError:
        raise ValidationError(
            {"year": f"{year} is outside {holiday_table.MIN_YEAR}–{holiday_table.MAX_YEAR}."}
        ) from None


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": f"“{value[:20]}” is not a date (YYYY-MM-DD)."}) from None
    _year(day.year)
    return day


def _year_out(year: int, lang: str) -> dict[str, Any]:
    view = holiday_table.year_view(year, lang=lang)
    return {
        "year": view.year,
        # table: the administrator's table; package: the official schedule as published;
        # none: no schedule for this year, weekends only.
        "origin": view.origin,
        "official_years": [view.package_first, view.package_last],
        "days": [
            {
                "date": d.date.isoformat(),
                "working_day": d.working,
                "name": d.name,
                "source": d.source,
            }
            for d in view.days
        ],
    }


@router.get("/service/calendar/{year}")
def calendar_year(request: ApiRequest, year: int, lang: str = "zh-Hans") -> dict[str, Any]:
    require(holiday_table.may_edit(request.auth))
    return _year_out(_year(year), "en" if lang.lower().startswith("en") else "zh-Hans")


@router.post("/service/calendar/{year}/seed")
def calendar_seed(request: ApiRequest, year: int) -> dict[str, Any]:
    require(holiday_table.may_edit(request.auth))
    return {"year": year, "copied": holiday_table.seed_year(year=_year(year), by=request.auth)}


@router.put("/service/calendar/days/{date}")
def calendar_day_set(
    request: ApiRequest, payload: DayIn, date: str = Path(..., max_length=20)
) -> dict[str, Any]:
    require(holiday_table.may_edit(request.auth))
    row = holiday_table.set_day(date=_date(date), by=request.auth, **payload.dict())
    return {
        "date": row.date.isoformat(),
        "working_day": row.is_working_day,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "source": row.source,
    }


@router.delete("/service/calendar/days/{date}", response={204: None})
def calendar_day_remove(request: ApiRequest, date: str = Path(..., max_length=20)) -> Status:
    require(holiday_table.may_edit(request.auth))
    day = _date(date)
    # Asked first: removing copies the year's official schedule into the table, which a
    # refused request must not leave behind.
    if day not in {d.date for d in holiday_table.year_view(day.year).days}:
        raise ValidationError({"date": f"{date} is neither a holiday nor a make-up working day."})
    holiday_table.remove_day(date=day, by=request.auth)
    return Status(204, None)
