"""The value report (B2, B3, C6, H2), its CSV/XLSX export, and the analytics settings page.

Managers, analysts and administrators see the report; sales reps, service agents and partner
users are refused. Every figure is computed over the customers the user may see
(``permissions.visible_customers``), so a manager's curve is their teams' curve.
"""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.analytics.value import SEGMENTS
from kehu.core import permissions
from kehu.core.exports import spreadsheet_safe
from kehu.core.models import Region, Team
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.insights import selectors, services, tasks
from kehu.insights.forms import AnalyticsConfigForm
from kehu.insights.models import LOSS_REASONS, RFM_SEGMENTS, AnalyticsConfig

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


def _filters(request: HttpRequest) -> selectors.ReportFilters:
    segment = request.GET.get("segment", "")
    return selectors.ReportFilters(
        team=int_param(request, "team"),
        region=int_param(request, "region"),
        segment=segment if segment in SEGMENTS else "",
    )


def _chart_labels() -> dict[str, str]:
    # The chart code is plain JS: its words come translated from here.
    return {
        "customers": _("Share of customers (%)"),
        "profit_pct": _("Cumulative profit (%)"),
        "profit": _("Profit"),
        "cumulative": _("Cumulative share (%)"),
        "count": _("Customers"),
        "period": _("Months since first purchase"),
        "cohort": _("First-purchase month"),
        "retained": _("Still buying (%)"),
        "unranked": _("No business"),
        "clv": _("Lifetime value"),
        "p_alive": _("P(active)"),
        "core": _("Core customers"),
        "losses": _("Loss-making"),
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    filters = _filters(request)
    run = selectors.current_run()
    context: dict[str, Any] = {
        "run": run,
        "filters": filters,
        "teams": Team.objects.all(),
        "regions": Region.objects.all(),
        "segments": [(s, RFM_SEGMENTS[s]) for s in SEGMENTS],
        "loss_reasons": LOSS_REASONS,
        "query": urlencode(filters.as_query()),
    }
    if permissions.can(request.user, Action.CONFIGURE):
        context["last_attempt"] = selectors.last_attempt()
    if run is not None:
        report = selectors.value_report(user=request.user, run=run, filters=filters)
        context["report"] = report
        context["charts"] = {**report.charts(), "labels": _chart_labels()}
    return render(request, "insights/report.html", context)


def _export_setup(request: HttpRequest):
    permissions.require(request.user, Action.EXPORT)
    run = selectors.current_run()
    if run is None:
        return None, None
    rows = selectors.export_rows(user=request.user, run=run, filters=_filters(request))
    return run, rows


# Spreadsheet formula injection: the one escape, shared with every file Kehu hands out.
_cell = spreadsheet_safe


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    run, rows = _export_setup(request)
    if run is None:
        return HttpResponse(_("No analytics run yet."), status=404, content_type="text/plain")
    writer = csv.writer(_Echo())
    headers = [header for _name, header in selectors.EXPORT_FIELDS]
    # The query runs here, before the first byte: once the header is sent the status is 200
    # and an error could only cut the file short (a download that looks complete). The
    # filters were checked before that (int_param).
    rows = iter(rows)
    first = list(itertools.islice(rows, 1))

    def stream():
        # The BOM makes Excel read the UTF-8 (Chinese names) correctly.
        yield "\ufeff" + writer.writerow(headers)
        for row in itertools.chain(first, rows):
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kehu-value-{run.as_of}.csv"'
    return response


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    run, rows = _export_setup(request)
    if run is None:
        return HttpResponse(_("No analytics run yet."), status=404, content_type="text/plain")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(run.as_of))
    sheet.append([header for _name, header in selectors.EXPORT_FIELDS])
    for count, row in enumerate(rows):
        if count >= XLSX_MAX_ROWS:
            break
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="kehu-value-{run.as_of}.xlsx"'
    return response


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CONFIGURE)
    config = AnalyticsConfig.load()
    form = AnalyticsConfigForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        unit, minute = form.cost_tables()
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.config_update(by=request.user, unit_cost=unit, cost_per_minute=minute, **fields)
        messages.success(request, _("Settings saved. They apply from the next run."))
        return redirect("insights:settings")
    return render(
        request,
        "insights/settings.html",
        {"form": form, "config": config, "last_attempt": selectors.last_attempt()},
    )


@login_required
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CONFIGURE)
    tasks.analytics_on_request.enqueue(user_id=request.user.pk)
    messages.success(request, _("Analytics run queued; the report updates when it is done."))
    return redirect("insights:settings")
