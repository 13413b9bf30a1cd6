"""Dealer contracts due for renewal, as a source of the Today page (kehu.core.duelist): an
approved dealer's contract shows from ``renewal_due_on`` (its end − the reminder days) to its
owner, and to the managers of the owner's team (scope "team"). One indexed query, limited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehu.core.duelist import DueItem
from kehu.dealers.models import Onboarding

LABEL = _("Dealer contracts")


def _team_ids(user: Any) -> list[int]:
    from kehu.development.rules import team_ids

    return team_ids(user)


def due_source(
    *, user: Any, today: dt.date, scope: str = "mine", limit: int = 200
) -> Iterable[DueItem]:
    qs = Onboarding.objects.filter(
        state=Onboarding.State.APPROVED, renewal_due_on__lte=today
    ).select_related("customer")
    if scope == "team":
        teams = _team_ids(user)
        qs = qs.filter(customer__team_id__in=teams) if teams else qs.filter(owner_id=user.pk)
    else:
        qs = qs.filter(owner_id=user.pk)
    items = []
    for ob in qs.order_by("renewal_due_on", "id")[:limit]:
        items.append(
            DueItem(
                source="dealers",
                kind_label=str(_("Dealer contract renewal")),
                title=str(_("Renew the dealer contract of %(name)s (ends %(date)s)"))
                % {"name": ob.customer.name, "date": ob.contract_end},
                due=ob.renewal_due_on or today,
                url=reverse("dealers:detail", args=[ob.pk]),
                priority=1.0,
                customer_id=ob.customer_id,
                customer_name=ob.customer.name,
            )
        )
    return items
