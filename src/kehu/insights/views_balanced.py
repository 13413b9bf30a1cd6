"""The balanced report page (H1, H2) and its CSV/XLSX export: for managers, analysts and
administrators (``see_reports``; export needs ``export``). Reads in
``kehu.insights.selectors_balanced``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.insights import selectors_balanced as B
from kehu.service.views_reports import csv_response, period_param, xlsx_response


def _report(request: HttpRequest) -> B.Balanced:
    if not B.may_read(request.user):
        raise PermissionDenied
    tier = str(request.GET.get("tier") or "")
    if tier and tier not in B.TIERS:
        raise BadRequest(f"The parameter 'tier' is not one of: {', '.join(B.TIERS)}.")
    return B.balanced(user=request.user, period=period_param(request), tier=tier)


def _chart_data(report: B.Balanced) -> dict[str, Any]:
    # The chart script is plain JS: its words come translated from here.
    return {
        "months": [f"{m.month:%Y-%m}" for m in report.months],
        "series": {name: [m.value(name) for m in report.months] for name, _l, _h in B.MEASURES},
        "labels": {name: str(label) for name, label, _h in B.MEASURES},
        "targets": report.target_values(),
        "target_word": _("Target"),
    }


@login_required
def balanced(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    rows = [
        (m, [(m.value(name), report.verdict(m, name)) for name, _l, _h in B.MEASURES])
        for m in report.months
    ]
    tier_labels = dict(Customer.Tier.choices)
    return render(
        request,
        "insights/balanced.html",
        {
            "report": report,
            "rows": rows,
            "measures": [str(label) for _n, label, _h in B.MEASURES],
            "measure_names": [n for n, _l, _h in B.MEASURES],
            "targets": [
                (tier_labels.get(t.tier, t.tier), [getattr(t, n) for n, _l, _h in B.MEASURES])
                for t in report.targets
            ],
            "tiers": Customer.Tier.choices,
            "tier_label": tier_labels.get(report.tier, ""),
            "months": report.period.months,
            "month_choices": (3, 6, 12, 24),
            "chart": _chart_data(report),
            "query": urlencode({"months": report.period.months, "tier": report.tier}),
            "can_export": permissions.can(request.user, Action.EXPORT),
        },
    )


def _export(request: HttpRequest) -> tuple[list[str], list[list[Any]], str]:
    permissions.require(request.user, Action.EXPORT)
    report = _report(request)
    headers = [_("Month")] + [str(label) for _n, label, _h in B.MEASURES]
    headers += [_("CSAT: completely satisfied (5, %)"), _("CSAT answers"), _("NPS answers"),
                _("Customers scored"), _("Calls"), _("Resolved")]  # fmt: skip
    rows: list[list[Any]] = []
    for m in report.months:
        rows.append(
            [f"{m.month:%Y-%m}"]
            + [m.value(n) for n, _l, _h in B.MEASURES]
            + [
                m.completely_satisfied_pct,
                m.csat_answers,
                m.nps_answers,
                m.scored_customers,
                m.calls,
                m.resolved,
            ]  # fmt: skip
        )
    if report.target is not None:
        goals = report.target_values()
        rows.append([_("Target")] + [goals.get(n) for n, _l, _h in B.MEASURES] + [None] * 6)
    suffix = f"-{report.tier}" if report.tier else ""
    return headers, rows, f"kehu-balanced-report-{report.period.first:%Y-%m}{suffix}"


@login_required
def balanced_csv(request: HttpRequest) -> HttpResponse:
    headers, rows, name = _export(request)
    return csv_response(headers, rows, name)


@login_required
def balanced_xlsx(request: HttpRequest) -> HttpResponse:
    headers, rows, name = _export(request)
    return xlsx_response(_("Balanced report"), headers, rows, name)
