"""The holiday calendar page (administrators): a year's holidays and make-up working days as
the SLA counts them, where they come from (the administrator's table, the package's official
schedule, or nothing: weekends only, said plainly), and a form to add or change a day."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core.params import int_param
from kehu.service import holiday_table


def _require_admin(request: HttpRequest) -> None:
    if not holiday_table.may_edit(request.user):
        raise PermissionDenied


def _year(params: QueryDict) -> int:
    """The ``year`` parameter (this year when absent); 400 outside the editable range."""
    return (
        int_param(
            params,
            "year",
            default=timezone.localdate().year,
            minimum=holiday_table.MIN_YEAR,
            maximum=holiday_table.MAX_YEAR,
        )
        or timezone.localdate().year
    )


@login_required
def calendar_year(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    year = _year(request.GET)
    view = holiday_table.year_view(year, lang=get_language() or "zh-Hans")
    return render(
        request,
        "service/reports/calendar.html",
        {"view": view, "prev_year": year - 1, "next_year": year + 1, "today": timezone.localdate()},
    )


def _back(year: int) -> HttpResponse:
    return redirect(reverse("service:calendar") + f"?year={year}")


@login_required
@require_POST
def calendar_seed(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    year = _year(request.POST)
    n = holiday_table.seed_year(year=year, by=request.user)
    if n:
        messages.success(request, _("%(n)s days copied from the official schedule.") % {"n": n})
    else:
        messages.info(
            request,
            _(
                "Nothing to copy: the table already has this year, or the official schedule does not."
            ),
        )
    return _back(year)


@login_required
@require_POST
def calendar_day(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    raw = str(request.POST.get("date") or "").strip()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request, _("Date: “%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw[:20]}
        )
        return _back(timezone.localdate().year)
    if not holiday_table.MIN_YEAR <= day.year <= holiday_table.MAX_YEAR:
        messages.error(request, _("Date: the year must be from %(a)s to %(b)s.")
                       % {"a": holiday_table.MIN_YEAR, "b": holiday_table.MAX_YEAR})  # fmt: skip
        return _back(timezone.localdate().year)
    kind = request.POST.get("kind", "")
    if request.POST.get("remove") == "1":
        holiday_table.remove_day(date=day, by=request.user)
        messages.success(request, _("%(date)s removed from the calendar.") % {"date": day})
        return _back(day.year)
    if kind not in {"holiday", "working"}:
        messages.error(request, _("Kind: choose a holiday or a working day."))
        return _back(day.year)
    holiday_table.set_day(
        date=day,
        is_working_day=kind == "working",
        name_zh=str(request.POST.get("name_zh", "")),
        name_en=str(request.POST.get("name_en", "")),
        by=request.user,
    )
    messages.success(request, _("%(date)s saved.") % {"date": day})
    return _back(day.year)
