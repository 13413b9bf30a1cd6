"""Control groups for campaigns (D7): the customers a campaign targets enter it through the
same deterministic, stratified draw as a playbook (kehu.retention.control), recorded once as
ControlAssignment rows of the group "campaign:<id>"; the held-back customers are the ones
the campaign must leave out, and the results page measures the campaign against them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.customers.models import Customer
from kehu.retention import control, policy
from kehu.retention.services import assign_controls, stratum_of


def group_of(campaign: Any) -> str:
    return f"campaign:{campaign.pk}"


@transaction.atomic
@audit.with_actor
def campaign_assign(
    *,
    campaign: Any,
    customers: list[Customer],
    as_of: dt.date,
    by: Any,
    share: float = policy.DEFAULT_CONTROL_SHARE,
    seed: str = control.DEFAULT_SEED,
) -> dict[int, bool]:
    """{customer id: held back?} for the customers the campaign targets, stratified by tier
    and risk band; customers assigned before keep their assignment."""
    if not 0 <= share <= 0.5:
        raise ValidationError({"share": _("The control share is between 0 and 0.5.")})
    result = assign_controls(
        group=group_of(campaign),
        share=share,
        entering=[(c.pk, stratum_of(c.tier, c.churn_band)) for c in customers],
        as_of=as_of,
        seed=seed,
    )
    audit.record(
        action="create",
        model="retention.controlassignment",
        object_id=group_of(campaign),
        changes={"customers": len(result), "control": sum(result.values()), "share": share},
        summary=f"control group of campaign {campaign}",
        user=by,
    )
    return result


def treated(campaign: Any, customers: list[Customer]) -> list[Customer]:
    """The customers the campaign may contact: the targeted ones not held back."""
    from kehu.retention.models import ControlAssignment

    held = set(
        ControlAssignment.objects.filter(
            group=group_of(campaign), is_control=True, customer_id__in=[c.pk for c in customers]
        ).values_list("customer_id", flat=True)
    )
    return [c for c in customers if c.pk not in held]
