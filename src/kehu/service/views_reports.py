"""Service report pages: the measures (H1) with their CSV/XLSX export, and the lessons
report (E4) with its drill-down to the complaints. Who sees what: ``measures.scope`` and
``lessons.may_read`` (403 otherwise); exporting needs ``export`` as everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehu.core import permissions
from kehu.core.exports import spreadsheet_safe
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.service import lessons, measures

# (attribute of measures.Row, header): the page's columns and the export's, in one place.
COLUMNS: list[tuple[str, Any]] = [
    ("opened", gettext_lazy("Opened")),
    ("first_response_hours", gettext_lazy("First response (hours)")),
    ("response_sla_pct", gettext_lazy("First response in time (%)")),
    ("resolved", gettext_lazy("Resolved")),
    ("resolution_hours", gettext_lazy("Resolution (hours)")),
    ("resolution_business_hours", gettext_lazy("Resolution (business hours, median)")),
    ("sla_pct", gettext_lazy("Resolved in time (%)")),
    ("backlog", gettext_lazy("Backlog at month end")),
    ("reopen_pct", gettext_lazy("Reopened (%)")),
    ("fcr_pct", gettext_lazy("First-contact resolution (%)")),
    ("calls", gettext_lazy("Calls")),
    ("handling_minutes", gettext_lazy("Call handling (minutes)")),
    ("csat_answers", gettext_lazy("CSAT answers")),
    ("satisfied_pct", gettext_lazy("CSAT: satisfied (4-5, %)")),
    ("completely_satisfied_pct", gettext_lazy("CSAT: completely satisfied (5, %)")),
    ("nps", gettext_lazy("NPS")),
]


def period_param(request: HttpRequest) -> measures.Period:
    months = int_param(request, "months", default=measures.DEFAULT_MONTHS,
                       maximum=measures.MAX_MONTHS)  # fmt: skip
    return measures.last_months(months or measures.DEFAULT_MONTHS)


def by_param(request: HttpRequest) -> str:
    by = str(request.GET.get("by") or "")
    if by and by not in measures.DIMENSIONS:
        raise BadRequest(f"The parameter 'by' is not one of: {', '.join(measures.DIMENSIONS)}.")
    return by


def month_label(month: dt.date | None) -> str:
    return f"{month:%Y-%m}" if month else str(_("Total"))


def csv_response(headers: list[str], rows: Iterable[Sequence[Any]], name: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the UTF-8 (Chinese) right with the BOM
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_response(title: str, headers: list[str], rows: Iterable[Sequence[Any]], name: str
                  ) -> HttpResponse:  # fmt: skip
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --------------------------------------------------------------------------- measures


def _measures(request: HttpRequest) -> measures.Measures:
    if measures.scope(request.user) is None:
        raise PermissionDenied
    return measures.measures(user=request.user, period=period_param(request), by=by_param(request))


@login_required
def measures_page(request: HttpRequest) -> HttpResponse:
    m = _measures(request)
    table = [(row, [getattr(row, attr) for attr, _h in COLUMNS]) for row in [*m.rows, *m.totals]]
    return render(
        request,
        "service/reports/measures.html",
        {
            "m": m,
            "columns": [str(h) for _a, h in COLUMNS],
            "table": table,
            "dimensions": list(measures.DIMENSION_LABELS.items()),
            "by_label": measures.DIMENSION_LABELS.get(m.by, ""),
            "month_choices": (3, 6, 12, 24),
            "months": m.period.months,
            "query": urlencode({"months": m.period.months, "by": m.by}),
            "can_export": permissions.can(request.user, Action.EXPORT),
        },
    )


def _export(request: HttpRequest) -> tuple[list[str], list[list[Any]], str]:
    permissions.require(request.user, Action.EXPORT)
    m = _measures(request)
    headers = [str(_("Month"))] + ([str(measures.DIMENSION_LABELS[m.by])] if m.by else [])
    headers += [str(h) for _a, h in COLUMNS]
    rows = []
    for row in [*m.rows, *m.totals]:
        rows.append(
            [month_label(row.month)]
            + ([row.label] if m.by else [])
            + [getattr(row, attr) for attr, _h in COLUMNS]
        )
    return headers, rows, f"kehu-service-measures-{m.period.first:%Y-%m}"


@login_required
def measures_csv(request: HttpRequest) -> HttpResponse:
    headers, rows, name = _export(request)
    return csv_response(headers, rows, name)


@login_required
def measures_xlsx(request: HttpRequest) -> HttpResponse:
    headers, rows, name = _export(request)
    return xlsx_response(str(_("Service measures")), headers, rows, name)


# --------------------------------------------------------------------------- lessons


def _month_param(request: HttpRequest) -> dt.date | None:
    raw = str(request.GET.get("month") or "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise BadRequest("The parameter 'month' must be a month as YYYY-MM.") from None


@login_required
def lessons_page(request: HttpRequest) -> HttpResponse:
    if not lessons.may_read(request.user):
        raise PermissionDenied
    period = period_param(request)
    report = lessons.lessons(user=request.user, period=period)
    drill_on = any(k in request.GET for k in ("category", "cause", "month"))
    tickets = []
    if drill_on:
        tickets = list(
            lessons.drill(
                user=request.user,
                period=period,
                category=request.GET.get("category"),
                root_cause=request.GET.get("cause"),
                month=_month_param(request),
            )[: lessons.DRILL_LIMIT]
        )
    return render(
        request,
        "service/reports/lessons.html",
        {
            "report": report,
            "months": period.months,
            "month_starts": period.month_starts,
            "month_choices": (3, 6, 12, 24),
            "drill_on": drill_on,
            "tickets": tickets,
            "drill_limit": lessons.DRILL_LIMIT,
            "drill": {k: request.GET.get(k) for k in ("category", "cause", "month")},
        },
    )
