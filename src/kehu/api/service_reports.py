"""Service measures (H1) and the lessons report (E4) under /api/v1/service with the pages'
rules (``measures.scope`` / ``lessons.may_read``): service agents their own and their
team's tickets, the report roles (managers, analysts, administrators) all they see, other
roles 403. Thin: the figures come from ``kehu.service.measures`` and ``lessons``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from pydantic import Field

from kehu.api.common import ApiRequest
from kehu.service import lessons, measures

router = Router(tags=["service reports"])

# The page's columns (views_reports.COLUMNS), properties included.
ROW_FIELDS = (
    "opened", "answered", "first_response_hours", "response_sla_pct", "resolved",
    "resolution_hours", "resolution_business_hours", "sla_pct", "backlog", "reopened",
    "reopen_pct", "fcr", "fcr_pct", "calls", "handling_minutes", "csat_answers",
    "csat_average", "satisfied_pct", "completely_satisfied_pct", "nps_answers", "nps",
)  # fmt: skip


class MeasuresQuery(Schema):
    months: int = Field(measures.DEFAULT_MONTHS, ge=1, le=measures.MAX_MONTHS)
    by: Literal["", "team", "agent", "category", "tier"] = ""


class LessonsQuery(Schema):
    months: int = Field(measures.DEFAULT_MONTHS, ge=1, le=measures.MAX_MONTHS)


def row_out(r: measures.Row) -> dict[str, Any]:
    out: dict[str, Any] = {
        "month": r.month.isoformat() if r.month else None,
        "key": r.key,
        "label": r.label,
    }
    return out | {name: getattr(r, name) for name in ROW_FIELDS}


@router.get("/service/measures", summary="Service measures by month (and team/agent/...)")
def measures_report(request: ApiRequest, q: Query[MeasuresQuery]) -> dict[str, Any]:
    if measures.scope(request.auth) is None:
        raise PermissionDenied
    m = measures.measures(user=request.auth, period=measures.last_months(q.months), by=q.by)
    return {
        "first_month": m.period.first.isoformat(),
        "months": m.period.months,
        "by": m.by,
        "scope": m.scope,
        "has_surveys": m.has_surveys,
        "rows": [row_out(r) for r in m.rows],
        "totals": [row_out(r) for r in m.totals],
    }


@router.get("/service/lessons", summary="Complaints by category, root cause and action")
def lessons_report(request: ApiRequest, q: Query[LessonsQuery]) -> dict[str, Any]:
    if not lessons.may_read(request.auth):
        raise PermissionDenied
    period = measures.last_months(q.months)
    report = lessons.lessons(user=request.auth, period=period)
    return {
        "months": [m.isoformat() for m in period.month_starts],
        "categories": [asdict(c) for c in report.categories],
        "month_totals": report.month_totals,
        "total": report.total,
        "without_cause": report.without_cause,
    }
