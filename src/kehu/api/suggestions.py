"""Proactive suggestions (E9) under /api/v1/service/suggestions with the page's rules: the
open suggestions of the customers the caller sees, each accepted (a ticket or a call task)
or dismissed with a reason. Analysts and partner users 403 (roles that may never act); a
suggestion whose customer the caller may not see is 404, like a missing one. Thin: reads
and writes in ``kehu.service.proactive``."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from kehu.api.common import ApiRequest, paginate, ref
from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion

router = Router(tags=["service"])


class SuggestionQuery(Schema):
    kind: Literal["", "service_due", "payment_failed", "usage_drop", "peer_fault"] = ""
    customer_id: int | None = None
    mine: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class AcceptIn(Schema):
    as_: Literal["ticket", "call"] = Field(..., alias="as")


class DismissIn(Schema):
    reason: str = Field(..., max_length=1000)


def suggestion_out(s: ProactiveSuggestion) -> dict[str, Any]:
    return {
        "id": s.pk,
        "customer": ref(s.customer),
        "kind": s.kind,
        "reason": s.reason(),
        "due_on": s.due_on.isoformat(),
        "priority": s.priority,
        "assigned_to_id": s.assigned_to_id,
        "status": s.status,
        "dismiss_reason": s.dismiss_reason,
        "ticket_id": s.ticket_id,
        "task_id": s.task_id,
    }


def _may_act(request: ApiRequest) -> None:
    permissions.require(request.auth, Action.CHANGE)
    if permissions.partner_of(request.auth) is not None:
        raise PermissionDenied


def _suggestion(request: ApiRequest, pk: int) -> ProactiveSuggestion:
    _may_act(request)
    found = proactive.suggestion_for(request.auth, pk)
    if found is None:
        raise Http404
    permissions.require(request.auth, Action.CHANGE, found)
    return found


@router.get("/service/suggestions", summary="Open proactive suggestions you may act on")
def suggestion_list(request: ApiRequest, q: Query[SuggestionQuery]) -> dict[str, Any]:
    _may_act(request)
    qs = proactive.open_for(request.auth, mine=q.mine)
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.customer_id is not None:
        qs = qs.filter(customer_id=q.customer_id)
    return paginate(qs, limit=q.limit, offset=q.offset, render=suggestion_out)


@router.post("/service/suggestions/{pk}/accept", summary="Accept: open a ticket or a call task")
def suggestion_accept(request: ApiRequest, pk: int, payload: AcceptIn) -> dict[str, Any]:
    s = _suggestion(request, pk)
    s = proactive.suggestion_accept(suggestion=s, by=request.auth, as_=payload.as_)
    return suggestion_out(s)


@router.post("/service/suggestions/{pk}/dismiss", summary="Dismiss with a reason")
def suggestion_dismiss(request: ApiRequest, pk: int, payload: DismissIn) -> dict[str, Any]:
    s = _suggestion(request, pk)
    s = proactive.suggestion_dismiss(suggestion=s, by=request.auth, reason=payload.reason)
    return suggestion_out(s)
