"""Surveys (kehu.surveys) under /api/v1/surveys with the pages' rules: the answers of the
customers the caller sees (partner users none: 403; analysts with the comments masked); the
results (CSAT and NPS by month and group, response rates) and the satisfaction → loyalty
curve for the report roles (managers, analysts, administrators; others 403)."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema
from pydantic import Field

from kehu.analytics.satisfaction import as_table, satisfaction_curve
from kehu.api.common import ApiRequest, paginate, ref
from kehu.core import permissions
from kehu.core.masking import Mask, mask_value
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.surveys import selectors
from kehu.surveys.models import Response

router = Router(tags=["surveys"])

Kind = Literal["", "csat_ticket", "csat_order", "nps", "research"]


class ResponseQuery(Schema):
    kind: Kind = ""
    customer_id: int | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class ResultsQuery(Schema):
    months: int = Field(12, ge=1, le=24)
    by: Literal["", "team", "agent", "category", "tier"] = ""


def response_out(r: Response, *, masked: bool) -> dict[str, Any]:
    return {
        "id": r.pk,
        "customer": ref(r.customer),
        "kind": r.kind,
        "score": r.score,
        "completely_satisfied": r.completely_satisfied,
        "comment": mask_value(Mask.WHOLE, r.comment) if masked else r.comment,
        "answers": {} if masked else r.answers,
        "ticket_id": r.ticket_id,
        "order_id": r.order_id,
        "answered_at": r.answered_at.isoformat(),
        "source": r.source,
        "team_id": r.team_id,
        "agent_id": r.agent_id,
        "category": r.category,
        "tier": r.tier,
    }


@router.get("/surveys/responses", summary="Survey answers of the customers you see")
def response_list(request: ApiRequest, q: Query[ResponseQuery]) -> dict[str, Any]:
    permissions.require(request.auth, Action.VIEW)
    if permissions.role_of(request.auth) == Role.PARTNER:
        raise PermissionDenied
    qs = selectors.visible_responses(request.auth).select_related("customer")
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.customer_id is not None:
        qs = qs.filter(customer_id=q.customer_id)
    masked = not permissions.can(request.auth, Action.SEE_PERSONAL_DATA)
    return paginate(qs, limit=q.limit, offset=q.offset,
                    render=lambda r: response_out(r, masked=masked))  # fmt: skip


@router.get("/surveys/results", summary="CSAT and NPS by month (and team, agent, category or tier)")
def results(request: ApiRequest, q: Query[ResultsQuery]) -> dict[str, Any]:
    permissions.require(request.auth, Action.SEE_REPORTS)
    rows = selectors.results(user=request.auth, months=q.months, by=q.by)
    rates = selectors.response_rates(user=request.auth, months=q.months)
    return {
        "by": q.by,
        "rows": [{
            "month": r.month.isoformat(), "key": r.key, "label": r.label,
            "csat_answers": r.csat, "csat_average": r.csat_average,
            "completely_satisfied": r.completely, "satisfied": r.satisfied,
            "not_satisfied": r.unsatisfied, "completely_satisfied_pct": r.completely_pct,
            "nps_answers": r.nps, "promoters": r.promoters, "detractors": r.detractors,
            "nps": r.nps_score,
        } for r in rows],
        "response_rates": [{
            "month": r.month.isoformat(), "kind": r.kind, "invited": r.invited,
            "answered": r.answered, "rate_pct": r.rate_pct,
        } for r in rates],
    }  # fmt: skip


@router.get("/surveys/loyalty", summary="Retention and repeat purchase by satisfaction score")
def loyalty(request: ApiRequest) -> dict[str, Any]:
    permissions.require(request.auth, Action.SEE_REPORTS)
    return {"rows": as_table(satisfaction_curve(selectors.loyalty_table(request.auth)))}
