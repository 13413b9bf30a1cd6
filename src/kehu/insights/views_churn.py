"""Churn risk pages (issue #10): the at-risk list with its CSV/XLSX export, and the churn
report with its export.

The at-risk page is for everyone who keeps customers: each role sees the customers it may see
(``visible_customers``), cost figures only with ``see_cost``, phones masked for analysts;
exporting needs ``export`` (managers, analysts, administrators). The churn report is for the
roles that see reports (managers, analysts, administrators), over the customers they see.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.analytics.value import SEGMENTS
from kehu.core import permissions
from kehu.core.exports import spreadsheet_safe
from kehu.core.models import Region, Team
from kehu.core.params import MAX_PAGE, int_param
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.customers.selectors import capped_count
from kehu.insights import selectors, selectors_churn, selectors_churn_report
from kehu.insights.models import RFM_SEGMENTS

PAGE_SIZE = 50
SCORE_FILTER_COUNT_CAP = 1_000


def _page_context(request: HttpRequest) -> dict[str, Any]:
    filters = selectors_churn.parse_filters(request.GET)
    page = int_param(request, "page", default=1, maximum=MAX_PAGE) or 1
    run = selectors.current_run()
    qs = selectors_churn.at_risk(user=request.user, filters=filters, run=run)
    offset = (page - 1) * PAGE_SIZE
    customers = list(qs[offset : offset + PAGE_SIZE + 1])
    has_next = len(customers) > PAGE_SIZE
    customers = customers[:PAGE_SIZE]
    # Segment and reason are the run's scores, looked up per customer: counting stops sooner.
    total, more = capped_count(
        qs, cap=SCORE_FILTER_COUNT_CAP if filters.segment or filters.reason else None
    )
    query = urlencode(filters.as_query())
    teams, owners = selectors_churn.filter_choices(request.user)
    return {
        "run": run,
        "filters": filters,
        "rows": selectors_churn.at_risk_rows(customers, user=request.user, run=run),
        "total": total,
        "total_more": more,
        "first_row": offset + 1 if customers else 0,
        "last_row": offset + len(customers),
        "page": page,
        "next_page": page + 1 if has_next else None,
        "prev_page": page - 1 if page > 1 else None,
        "query": query,
        "see_cost": permissions.can(request.user, Action.SEE_COST),
        "masked": not permissions.can(request.user, Action.SEE_PERSONAL_DATA),
        "can_export": permissions.can(request.user, Action.EXPORT),
        "teams": teams,
        "owners": owners,
        "tiers": Customer.Tier.choices,
        "grades": Customer.Grade.choices,
        "segments": [(s, RFM_SEGMENTS[s]) for s in SEGMENTS],
        "reasons": selectors_churn.reason_filter_choices(run),
        "bands": [(b.value, b.label) for b in selectors_churn.AT_RISK_BANDS],
    }


@login_required
def at_risk(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.VIEW)
    return render(request, "insights/churn_at_risk.html", _page_context(request))


def _export_setup(request: HttpRequest) -> tuple[list[str], Iterator[list[Any]], str]:
    permissions.require(request.user, Action.EXPORT)
    filters = selectors_churn.parse_filters(request.GET)
    run = selectors.current_run()
    headers = [header for _key, header in selectors_churn.export_columns(request.user)]
    rows = selectors_churn.export_rows(user=request.user, filters=filters, run=run)
    day = (run.as_of if run else timezone.localdate()).isoformat()
    return headers, rows, f"kehu-at-risk-{day}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(headers: list[str], rows: Iterator[list[Any]], name: str) -> Any:
    writer = csv.writer(_Echo())
    # The first rows are read before the first byte: a failing query is then an error page,
    # not a file cut short that looks complete.
    first = list(itertools.islice(rows, 1))

    def stream() -> Iterable[str]:
        # The BOM makes Excel read the UTF-8 (Chinese names) correctly.
        yield "\ufeff" + writer.writerow(headers)
        for row in itertools.chain(first, rows):
            yield writer.writerow([spreadsheet_safe(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _xlsx_response(sheets: Sequence[tuple[str, list[str], Iterable[list[Any]]]], name: str) -> Any:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(headers)
        for count, row in enumerate(rows):
            if count >= selectors_churn.XLSX_MAX_ROWS:
                break
            sheet.append([spreadsheet_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def at_risk_csv(request: HttpRequest) -> HttpResponse:
    headers, rows, name = _export_setup(request)
    return _csv_response(headers, rows, name)


@login_required
def at_risk_xlsx(request: HttpRequest) -> HttpResponse:
    headers, rows, name = _export_setup(request)
    return _xlsx_response([(_("At risk"), headers, rows)], name)


# --------------------------------------------------------------------------- churn report


def _report_filters(request: HttpRequest) -> selectors.ReportFilters:
    segment = str(request.GET.get("segment") or "")
    if segment and segment not in SEGMENTS:
        raise BadRequest(f"The parameter 'segment' is not one of: {', '.join(SEGMENTS)}.")
    return selectors.ReportFilters(
        team=int_param(request, "team"), region=int_param(request, "region"), segment=segment
    )


def _chart_labels() -> dict[str, str]:
    # The chart code is plain JS: its words come translated from here.
    return {
        "complete": _("Complete churn (%)"),
        "partial": _("Partial churn (%)"),
        "probability": _("Average churn risk (%)"),
        "customers": _("Customers"),
        "risk": _("Churn risk"),
        "auc": "AUC",
        "lift": _("Lift in the top tenth"),
        "period": _("Months since first purchase"),
        "cohort": _("First-purchase month"),
        "repeat": _("Bought twice or more (%)"),
        "value_at_risk": _("Value at risk"),
    }


def _report(request: HttpRequest) -> dict[str, Any]:
    filters = _report_filters(request)
    run = selectors.current_run()
    user = request.user
    report: dict[str, Any] = {
        "trend": selectors_churn_report.churn_trend(user=user, filters=filters),
        "backtests": selectors_churn_report.backtests(),
        "cohorts": selectors_churn_report.cohorts(
            user=user, filters=filters, as_of=run.as_of if run else timezone.localdate(), run=run
        ),
    }
    if run is not None:
        report["distribution"] = selectors_churn_report.risk_distribution(
            user=user, run=run, filters=filters
        )
        report["reasons"] = selectors_churn_report.reasons_by_segment(
            user=user, run=run, filters=filters
        )
    return {"run": run, "filters": filters, "report": report}


@login_required
def report(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    context = _report(request)
    r = context["report"]
    context.update(
        {
            "teams": Team.objects.all(),
            "regions": Region.objects.all(),
            "segments": [(s, RFM_SEGMENTS[s]) for s in SEGMENTS],
            "query": urlencode(context["filters"].as_query()),
            "charts": {
                "trend": r["trend"],
                "distribution": r.get("distribution", {}),
                "reasons": r.get("reasons", {}),
                "backtests": [{k: v for k, v in b.items() if k != "model"} for b in r["backtests"]],
                "cohorts": r["cohorts"],
                "labels": _chart_labels(),
            },
        }
    )
    return render(request, "insights/churn_report.html", context)


def _report_tables(r: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's figures as tables (title, headers, rows), translated: one sheet each in
    the workbook, one of them per CSV."""
    tables = [
        (
            _("Churn over time"),
            [
                _("As of"),
                _("Customers"),
                _("Complete churn"),
                _("Complete churn (%)"),
                _("Partial churn"),
                _("Partial churn (%)"),
                _("High risk"),
                _("Medium risk"),
                _("Average churn risk (%)"),
                _("Value at risk"),
            ],
            [
                [
                    t["as_of"],
                    t["customers"],
                    t["complete"],
                    t["complete_pct"],
                    t["partial"],
                    t["partial_pct"],
                    t["high"],
                    t["medium"],
                    t["avg_probability_pct"],
                    t["value_at_risk"],
                ]
                for t in r["trend"]
            ],
        )
    ]
    dist = r.get("distribution") or {}
    tables.append(
        (
            _("Risk distribution"),
            [_("Churn risk"), _("Customers")],
            [
                list(pair)
                for pair in zip(dist.get("labels", []), dist.get("counts", []), strict=False)
            ]
            + [[b["label"], b["count"]] for b in dist.get("bands", [])],
        )
    )
    reasons = r.get("reasons") or {}
    tables.append(
        (
            _("Reasons by segment"),
            [_("RFM segment"), *reasons.get("code_labels", [])],
            [
                [label, *cells]
                for label, cells in zip(
                    reasons.get("segment_labels", []), reasons.get("cells", []), strict=False
                )
            ],
        )
    )
    tables.append(
        (
            _("Backtest"),
            [_("Model"), _("As of"), _("Customers"), _("Share who left"), "AUC", _("Lift")],
            [
                [b["label"], m["month_end"], m["customers"], m["churn_rate"], m["auc"], m["lift"]]
                for b in r["backtests"]
                for m in b["months"]
            ],
        )
    )
    repeat = (r.get("cohorts") or {}).get("repeat", [])
    tables.append(
        (
            _("Cohorts"),
            [_("First-purchase month"), _("Customers"), _("Bought twice or more (%)")],
            [[c["cohort"], c["customers"], c["repeat_pct"]] for c in repeat],
        )
    )
    return tables


REPORT_TABLES = ("trend", "distribution", "reasons", "backtest", "cohorts")


@login_required
def report_csv(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    permissions.require(request.user, Action.EXPORT)
    table = str(request.GET.get("table") or "trend")
    if table not in REPORT_TABLES:
        raise BadRequest(f"The parameter 'table' is not one of: {', '.join(REPORT_TABLES)}.")
    context = _report(request)
    title, headers, rows = _report_tables(context["report"])[REPORT_TABLES.index(table)]
    return _csv_response([str(h) for h in headers], iter(rows), f"kehu-churn-{table}")


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    permissions.require(request.user, Action.EXPORT)
    context = _report(request)
    sheets = [
        (str(title), [str(h) for h in headers], rows)
        for title, headers, rows in _report_tables(context["report"])
    ]
    return _xlsx_response(sheets, "kehu-churn-report")
