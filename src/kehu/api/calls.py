"""CTI webhooks (kehu.service.calls): signed with the shared secret, not a user token.

``POST /calls/incoming`` ``{"call_id": "...", "caller": "+8613800138000", "agent": "sam"}``
and ``POST /calls/{call_id}/ended`` ``{"duration_seconds": 185}``, each with
``X-Kehu-Signature: sha256=<hex HMAC-SHA256 of the raw body with KEHU_CTI_SECRET>``.
A missing or wrong signature is 401; no secret configured (CTI off) is 403.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.errors import HttpError

from kehu.api.common import ApiRequest
from kehu.service import calls
from kehu.service.models import Call

router = Router(tags=["calls"])


def _signed_json(request: HttpRequest) -> dict[str, Any]:
    if not calls.secret():
        raise HttpError(403, "Call integration is not configured (KEHU_CTI_SECRET).")
    if not calls.signature_ok(request.body, request.META.get(calls.SIGNATURE_HEADER, "")):
        raise HttpError(401, "Missing or wrong X-Kehu-Signature.")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise HttpError(400, "The body must be a JSON object.")
    return data


def _text(data: dict[str, Any], name: str, limit: int, *, required: bool = True) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise HttpError(400, f"{name}: expected a text of 1–{limit} characters.")
    return value.strip()


@router.post("/calls/incoming", auth=None, response={201: dict})
def incoming(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    data = _signed_json(request)
    call = calls.call_incoming(
        call_id=_text(data, "call_id", 100),
        caller=_text(data, "caller", 32),
        agent=_text(data, "agent", 150, required=False),
    )
    return 201, {"call_id": call.call_id, "matched": call.customer_id is not None}


@router.post("/calls/{call_id}/ended", auth=None, response={200: dict})
def ended(request: HttpRequest, call_id: str) -> dict[str, Any]:
    data = _signed_json(request)
    seconds = data.get("duration_seconds")
    if type(seconds) is not int or not 0 <= seconds <= calls.MAX_DURATION:
        raise HttpError(400, f"duration_seconds: expected whole seconds 0–{calls.MAX_DURATION}.")
    call = Call.objects.filter(call_id=call_id).first()
    if call is None:
        raise Http404
    call = calls.call_ended(call=call, duration_seconds=seconds)
    return {"call_id": call.call_id, "logged": call.interaction_id is not None}


@router.get("/calls/outbound", summary="Whom to call now: the caller's outbound call list")
def outbound(request: ApiRequest, limit: int = 50) -> dict[str, Any]:
    """Due retention tasks, key customers at high risk and proactive suggestions, one row per
    customer, highest value at risk first (kehu.service.calllist). 403 for roles that never
    log contacts (analysts, partner users)."""
    from kehu.core import permissions
    from kehu.core.permissions import Action
    from kehu.service import calllist

    user = request.auth
    if not permissions.role_may(user, Action.LOG_INTERACTION) or permissions.partner_of(user):
        raise HttpError(403, "Your role has no outbound call list.")
    if not 1 <= limit <= 200:
        raise HttpError(400, "limit: expected 1–200.")
    masked = not permissions.can(user, Action.SEE_PERSONAL_DATA)
    rows = calllist.call_list(user=user, limit=limit)
    return {"items": [calllist.as_dict(row, masked=masked) for row in rows]}
