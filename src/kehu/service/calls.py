"""CTI (E10): the telephone system reports calls to ``POST /api/v1/calls/incoming`` and
``POST /api/v1/calls/{call_id}/ended``, each signed with the shared secret
``KEHU_CTI_SECRET``: header ``X-Kehu-Signature: sha256=<hex HMAC-SHA256 of the raw body>``.
The caller's number is matched to a customer by the phone search keys; the agent's screen
pops (htmx polling) with the customer's open tickets and churn risk; the end of the call logs
an interaction with its duration on the customer's timeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kehu.core import audit
from kehu.core.text import phone_e164
from kehu.customers import services as customer_services
from kehu.customers.models import Customer, SearchKey
from kehu.service.models import Call

SIGNATURE_HEADER = "HTTP_X_KEHU_SIGNATURE"
RINGING_FOR = dt.timedelta(minutes=15)  # a call never ended is not shown for ever
MAX_DURATION = 24 * 3600


def secret() -> str:
    return getattr(settings, "KEHU_CTI_SECRET", "") or ""


def sign(body: bytes, key: str | None = None) -> str:
    key = secret() if key is None else key
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, header: str) -> bool:
    key = secret()
    return bool(key) and hmac.compare_digest(sign(body, key), header or "")


def match_customer(number: str) -> Customer | None:
    e164 = phone_e164(number, getattr(settings, "KEHU_DEFAULT_PHONE_REGION", "CN"))
    if not e164:
        return None
    ids = SearchKey.objects.filter(key="t:" + e164.lstrip("+")).values("customer_id")
    return (
        Customer.objects.filter(pk__in=ids, is_archived=False, merged_into__isnull=True)
        .order_by("-tier", "id")
        .first()
    )


@transaction.atomic
def call_incoming(*, call_id: str, caller: str, agent: str = "") -> Call:
    """Record a ringing call (the same ``call_id`` twice is one call)."""
    existing = Call.objects.filter(call_id=call_id).first()
    if existing is not None:
        return existing
    user = (
        get_user_model().objects.filter(username=agent, is_active=True).first() if agent else None
    )
    return Call.objects.create(
        call_id=call_id, caller=caller[:32], customer=match_customer(caller), agent=user
    )


@transaction.atomic
def call_ended(*, call: Call, duration_seconds: int, now: dt.datetime | None = None) -> Call:
    """End the call and log it on the customer's timeline with its duration (once)."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.ended_at is not None:
        return call
    call.ended_at = now or timezone.now()
    call.duration_seconds = duration_seconds
    if call.customer_id is not None:
        with audit.acting_as(call.agent, "cti"):
            call.interaction = customer_services.interaction_log(
                customer=call.customer,
                by=call.agent,
                channel="phone",
                direction="in",
                department="service",
                subject=f"📞 {call.caller}",
                occurred_at=call.started_at,
                duration_minutes=max(1, math.ceil(duration_seconds / 60)),
            )
    call.save()
    return call


def ringing_for(user: Any, *, now: dt.datetime | None = None) -> Call | None:
    """The newest unanswered-to-the-end call for ``user``'s screen: theirs, or nobody's."""
    now = now or timezone.now()
    from django.db.models import Q

    return (
        Call.objects.filter(ended_at__isnull=True, started_at__gte=now - RINGING_FOR)
        .filter(Q(agent=user) | Q(agent__isnull=True))
        .select_related("customer")
        .order_by("-started_at")
        .first()
    )
