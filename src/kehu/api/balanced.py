"""The balanced report (H1, H2) under /api/v1/reports/balanced with the page's rule
(``selectors_balanced.may_read``: managers, analysts and administrators; others 403):
satisfaction, retention, handling time, first-contact resolution and SLA per month, each
with its verdict against the tier's target. Thin: ``kehu.insights.selectors_balanced``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema
from pydantic import Field

from kehu.api.common import ApiRequest
from kehu.insights import selectors_balanced as B
from kehu.service import measures

router = Router(tags=["reports"])


class BalancedQuery(Schema):
    months: int = Field(measures.DEFAULT_MONTHS, ge=1, le=measures.MAX_MONTHS)
    tier: str = Field("", max_length=20)


@router.get("/reports/balanced", summary="The balanced report per month, with tier targets")
def balanced_report(request: ApiRequest, q: Query[BalancedQuery]) -> dict[str, Any]:
    if not B.may_read(request.auth):
        raise PermissionDenied
    if q.tier and q.tier not in B.TIERS:
        raise ValidationError({"tier": f"Not one of: {', '.join(B.TIERS)}."})
    report = B.balanced(user=request.auth, period=measures.last_months(q.months), tier=q.tier)
    names = [n for n, _l, _h in B.MEASURES]
    return {
        "first_month": report.period.first.isoformat(),
        "months": report.period.months,
        "tier": report.tier,
        "measures": names,
        "targets": report.target_values(),
        "has_surveys": report.has_surveys,
        "has_retention": report.has_retention,
        "rows": [
            asdict(m)
            | {"month": m.month.isoformat(), "verdicts": {n: report.verdict(m, n) for n in names}}
            for m in report.months
        ],
    }
