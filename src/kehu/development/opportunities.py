"""Opportunities and the pipeline: writes (create, move between stages) and the board's
reads, through the same visibility as leads (owner and team; partner users see none)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from kehu.core import audit, permissions
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.development.models import Lead, Opportunity
from kehu.development.rules import lead_filter

OPEN_STAGES = [
    Opportunity.Stage.QUALIFICATION,
    Opportunity.Stage.NEEDS,
    Opportunity.Stage.PROPOSAL,
    Opportunity.Stage.NEGOTIATION,
]
BOARD_LIMIT = 50  # cards shown per column; the column's count and sums cover all


def opportunity_filter(user: Any) -> Q | None:
    if permissions.role_of(user) == Role.PARTNER:
        return None  # deals are the company's own business
    return lead_filter(user)


def visible_opportunities(user: Any) -> QuerySet:
    condition = opportunity_filter(user)
    if condition is None:
        return Opportunity.objects.none()
    return Opportunity.objects.filter(condition)


def opportunity_rule(user: Any, action: Action, opportunity: Opportunity) -> bool:
    return visible_opportunities(user).filter(pk=opportunity.pk).exists()


def opportunities_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    condition = opportunity_filter(user)
    return qs.none() if condition is None else qs.filter(condition)


def register() -> None:
    permissions.register(Opportunity, obj=opportunity_rule, queryset=opportunities_allowed)


@transaction.atomic
@audit.with_actor
def opportunity_create(
    *,
    customer: Customer,
    by: Any,
    name: str,
    lead: Lead | None = None,
    owner: Any = None,
    amount: Decimal | None = None,
    close_on: dt.date | None = None,
) -> Opportunity:
    owner = owner or customer.owner or by
    profile = getattr(owner, "profile", None)
    opportunity = Opportunity(
        name=(name or "").strip()[:200],
        customer=customer,
        lead=lead,
        owner=owner,
        team_id=(profile.team_id if profile and profile.team_id else customer.team_id),
        amount=amount,
        close_on=close_on,
    )
    opportunity.full_clean()
    opportunity.save()
    return opportunity


@transaction.atomic
@audit.with_actor
def opportunity_move(
    *, opportunity: Opportunity, stage: str, by: Any, reason: str = ""
) -> Opportunity:
    """Move a deal to another stage; a lost deal needs its reason."""
    if stage not in Opportunity.Stage.values:
        raise ValidationError({"stage": _("No such stage.")})
    if stage == Opportunity.Stage.LOST and not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the deal was lost.")})
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.stage == stage:
        return opportunity
    opportunity.stage = stage
    opportunity.stage_reason = (reason or "").strip()[:255]
    opportunity.save()
    return opportunity


def board(*, user: Any, mine: bool = False) -> list[dict[str, Any]]:
    """One column per open stage: its deals (soonest close first, at most BOARD_LIMIT), how
    many there are, their expected value and the forecast (value × the stage's chance)."""
    qs = visible_opportunities(user)
    if mine:
        qs = qs.filter(owner_id=user.pk)
    totals = {
        row["stage"]: row
        for row in qs.filter(stage__in=OPEN_STAGES)
        .values("stage")
        .annotate(n=Count("id"), value=Sum("amount"))
    }
    columns = []
    for stage in OPEN_STAGES:
        row = totals.get(stage, {})
        value = row.get("value") or Decimal(0)
        deals = list(
            qs.filter(stage=stage)
            .select_related("customer", "owner")
            .order_by("close_on", "id")[:BOARD_LIMIT]
        )
        columns.append(
            {
                "stage": stage,
                "label": Opportunity.Stage(stage).label,
                "count": row.get("n", 0),
                "value": value,
                "forecast": value * Decimal(str(Opportunity.PROBABILITY[stage])),
                "deals": deals,
            }
        )
    return columns
