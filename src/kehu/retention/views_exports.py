"""CSV and XLSX files of the exit-reason report, the win-back list, a playbook's or campaign's
results and the targets (kehu.core.exports makes
each cell formula-safe). Headers in the reader's language; an analyst's file masks the
customers' own words (free text), as the pages do."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.exports import spreadsheet_safe
from kehu.core.masking import Mask, mask_value
from kehu.core.permissions import Action
from kehu.retention import selectors, selectors_targets
from kehu.retention.models import ExitReason, Target
from kehu.retention.views_targets import _month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(fmt: str, title: str, headers: list[str], rows: Iterable[Sequence[Any]], name: str):
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([spreadsheet_safe(v) for v in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        # Excel refuses these characters in a sheet's name (a group's name may hold them).
        sheet.title = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31] or "Sheet"
        sheet.append(headers)
        for row in rows:
            sheet.append([spreadsheet_safe(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def exits_export(request: HttpRequest, fmt: str) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    permissions.require(request.user, Action.EXPORT)
    masked = not permissions.can(request.user, Action.SEE_PERSONAL_DATA)
    visible = permissions.visible_customers(request.user, include_archived=True).values("id")
    records = ExitReason.objects.filter(customer_id__in=visible).select_related("customer")
    headers = [
        _("Left on"), _("Customer"), _("Tier"), _("Reason"), _("In their words"),
        _("What happened"), _("What we change"), _("Won back on"), _("Revenue regained"),
    ]  # fmt: skip
    rows = (
        [
            r.left_on.isoformat(),
            r.customer.name,
            r.tier,
            str(r.get_reason_display()),
            mask_value(Mask.WHOLE, r.text) if masked else r.text,
            r.what_happened,
            r.what_we_change,
            r.won_back_on.isoformat() if r.won_back_on else "",
            float(r.revenue_regained),
        ]
        for r in records.iterator(chunk_size=2000)
    )
    return _file(fmt, str(_("Exit reasons")), [str(h) for h in headers], rows, "exit-reasons")


@login_required
def targets_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if not selectors_targets.may_see(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today) or today.replace(day=1)
    lines = selectors_targets.board(user=request.user, month=month, today=today)
    labels = dict(Target.Metric.choices)
    headers = [str(_("Month")), str(_("For"))]
    for m in selectors_targets.METRICS:
        headers += [f"{labels[m]} · {_('Actual')}", f"{labels[m]} · {_('Target')}"]
    rows = []
    for line in lines:
        row: list[Any] = [f"{month:%Y-%m}", line.name or str(_("Company"))]
        for _m, actual, goal, _met in line.cells():
            row += ["" if actual is None else actual, "" if goal is None else float(goal)]
        rows.append(row)
    return _file(fmt, str(_("Retention targets")), headers, rows, f"targets-{month:%Y-%m}")


def _reporter(request: HttpRequest) -> bool:
    """Refuses those who may not read reports or export; True when the file must be masked."""
    permissions.require(request.user, Action.SEE_REPORTS)
    permissions.require(request.user, Action.EXPORT)
    return not permissions.can(request.user, Action.SEE_PERSONAL_DATA)


@login_required
def winback_export(request: HttpRequest, fmt: str) -> HttpResponse:
    masked = _reporter(request)
    headers = [
        _("Customer"), _("Tier"), _("Last reason"), _("In their words"), _("Left on"),
        _("Status"), _("Won back on"), _("Revenue regained"),
    ]  # fmt: skip
    rows = (
        [
            row["customer"].name,
            row["record"].tier,
            str(row["record"].get_reason_display()),
            mask_value(Mask.WHOLE, row["record"].text) if masked else row["record"].text,
            row["record"].left_on.isoformat(),
            str(_("Won back") if row["won_back"] else _("Lost")),
            row["record"].won_back_on.isoformat() if row["record"].won_back_on else "",
            float(row["record"].revenue_regained),
        ]
        for row in selectors.win_back(user=request.user)
    )
    return _file(fmt, str(_("Win-back")), [str(h) for h in headers], rows, "win-back")


@login_required
def results_export(request: HttpRequest, group: str, fmt: str) -> HttpResponse:
    # Figures per group, not per customer: nothing personal to mask for analysts.
    _reporter(request)
    result = selectors.results(user=request.user, group=group)
    if result.error == "none":
        raise Http404
    labels = {
        "retained": _("Retention rate"), "revenue": _("Revenue"), "profit": _("Profit"),
    }  # fmt: skip
    headers = [
        _("Measure"), _("Treated"), _("Control"), _("Lift"), _("Lower bound"), _("Upper bound"),
        _("p value"),
    ]  # fmt: skip
    rows: list[list[Any]] = [
        [str(labels[key]), m.treated_mean, m.control_mean]
        + ["" if v is None else v for v in (m.lift, m.ci_low, m.ci_high, m.p_value)]
        for key, m in result.metrics.items()
    ]
    rows.append([str(_("Customers")), result.n_treated, result.n_control, "", "", "", ""])
    summary = [
        (_("Customers saved"), result.customers_saved),
        (_("Cost of offers"), result.offer_cost),
        (_("Profit saved, net of offers"), result.profit_saved),
    ]
    rows += [[str(k), "", "", "" if v is None else v, "", "", ""] for k, v in summary]
    name = "results-" + "".join(c if c.isalnum() else "-" for c in group)
    return _file(fmt, result.name, [str(h) for h in headers], rows, name)
