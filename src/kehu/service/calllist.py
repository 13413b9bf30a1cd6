"""Outbound call lists chosen by the computer (E10): whom this person should call now.

Three sources, one row per customer, highest value at risk first:
- their open retention tasks due today or earlier (``kehu.retention.today.open_tasks``);
- key and major customers at high churn risk with value at risk (``Customer.churn_band``,
  ``value_at_risk``, ``tier``): a rep's own book, a manager's teams', everyone for agents
  and administrators (``visible_customers``), at most ``AT_RISK_LIMIT``;
- open proactive suggestions (``kehu.service.proactive``; a rep's own customers).
A customer someone already phoned today (an outbound phone interaction) leaves the list until
tomorrow: logging the outcome from the list is what takes the row off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.customers import services as customer_services
from kehu.customers.models import Channel, Customer, Department, Interaction
from kehu.service import proactive

AT_RISK_TIERS = (Customer.Tier.KEY, Customer.Tier.MAJOR)
AT_RISK_LIMIT = 100
SOURCE_LIMIT = 200
OUTCOMES = (
    Interaction.Outcome.DONE,
    Interaction.Outcome.NO_ANSWER,
    Interaction.Outcome.FOLLOW_UP,
    Interaction.Outcome.RESOLVED,
    Interaction.Outcome.COMPLAINT,
    Interaction.Outcome.SALE,
)


@dataclass
class CallItem:
    customer_id: int
    priority: float = 0.0
    reasons: list[str] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    suggestion_ids: list[int] = field(default_factory=list)
    customer: Customer | None = None


def _start_of(today: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def call_list(*, user: Any, today: dt.date | None = None, limit: int = 50) -> list[CallItem]:
    """The rows for ``user`` on ``today``, highest value at risk first (then customer id)."""
    from kehu.retention.today import open_tasks

    if not permissions.role_may(user, Action.LOG_INTERACTION) or permissions.partner_of(user):
        return []
    today = today or timezone.localdate()
    items: dict[int, CallItem] = {}

    def item(customer_id: int, priority: float) -> CallItem:
        row = items.setdefault(customer_id, CallItem(customer_id))
        row.priority = max(row.priority, priority)
        return row

    tasks = open_tasks(user=user, today=today, scope="mine").order_by("-priority", "due_on", "id")
    for pk, title, priority, customer_id in tasks.values_list(
        "id", "title", "priority", "customer_id"
    )[:SOURCE_LIMIT]:
        row = item(customer_id, priority)
        row.task_ids.append(pk)
        row.reasons.append(_("Task due: %(title)s") % {"title": title})

    at_risk = permissions.visible_customers(user).filter(
        tier__in=AT_RISK_TIERS,
        churn_band=Customer.RiskBand.HIGH,
        value_at_risk__gt=0,
        merged_into__isnull=True,
    )
    if permissions.role_of(user) == Role.SALES:
        at_risk = at_risk.filter(owner=user)
    tiers = dict(Customer.Tier.choices)
    for customer_id, tier, risk in at_risk.order_by("-value_at_risk", "id").values_list(
        "id", "tier", "value_at_risk"
    )[:AT_RISK_LIMIT]:
        row = item(customer_id, float(risk))
        row.reasons.append(
            _("%(tier)s customer at high risk of leaving") % {"tier": tiers.get(tier, tier)}
        )

    # A rep calls their own book; agents, managers and administrators whoever they see.
    own = permissions.role_of(user) == Role.SALES
    for s in proactive.open_for(user, mine=own)[:SOURCE_LIMIT]:
        row = item(s.customer_id, s.priority)
        row.suggestion_ids.append(s.pk)
        row.reasons.append(s.reason())

    called = set(
        Interaction.objects.filter(
            customer_id__in=list(items),
            direction=Interaction.Direction.OUTBOUND,
            channel=Channel.PHONE,
            occurred_at__gte=_start_of(today),
        ).values_list("customer_id", flat=True)
    )
    ranked = sorted(
        (row for pk, row in items.items() if pk not in called),
        key=lambda r: (-r.priority, r.customer_id),
    )[:limit]
    customers = permissions.visible_customers(user).in_bulk([r.customer_id for r in ranked])
    out = []
    for row in ranked:
        row.customer = customers.get(row.customer_id)
        if row.customer is not None:  # archived since: not to be called
            out.append(row)
    return out


def log_call(
    *,
    user: Any,
    customer: Customer,
    outcome: str,
    note: str = "",
    minutes: int | None = None,
    now: dt.datetime | None = None,
) -> Interaction:
    """The outcome of a call from the list, on the customer's timeline (which takes the row
    off today's list). ``require`` first: 403 for a role that never logs, 404 for a customer
    the user may not see."""
    permissions.require(user, Action.LOG_INTERACTION, customer)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": _("Choose how the call went.")})
    if len(note) > 2000:
        raise ValidationError({"note": _("The note is at most 2,000 characters.")})
    if minutes is not None and not 0 < minutes <= 24 * 60:
        raise ValidationError({"minutes": _("Minutes: a whole number from 1 to 1440.")})
    department = (
        Department.SERVICE if permissions.role_of(user) == Role.SERVICE else Department.SALES
    )
    return customer_services.interaction_log(
        customer=customer,
        by=user,
        channel=Channel.PHONE,
        direction=Interaction.Direction.OUTBOUND,
        department=department,
        subject=_("Call from the call list: %(outcome)s")
        % {"outcome": Interaction.Outcome(outcome).label},
        notes=note,
        outcome=outcome,
        occurred_at=now or timezone.now(),
        duration_minutes=minutes,
    )


def as_dict(row: CallItem, *, masked: bool) -> dict[str, Any]:
    c = row.customer
    assert c is not None
    risk = c.value_at_risk if isinstance(c.value_at_risk, Decimal) else None
    return {
        "customer": {"id": c.pk, "name": c.name},
        "phone": "" if masked else c.phone,
        "tier": c.tier,
        "churn_band": c.churn_band,
        "value_at_risk": str(risk) if risk is not None else None,
        "priority": row.priority,
        "reasons": row.reasons,
        "task_ids": row.task_ids,
        "suggestion_ids": row.suggestion_ids,
    }
