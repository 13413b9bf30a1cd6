"""Next follow-ups as a source of the due list (kehu.core.duelist), registered in ready().

Logging a contact can set the date of the next one and its purpose; that plan stands until a
later contact with the customer is logged (which may set the next plan), so the item leaves
the list by itself once the rep has been in touch. ``mine``: follow-ups due today or earlier
on the user's own customers. ``team``: overdue ones on the customers of the teams the user
manages (all, for an administrator). One query, at most ``limit`` rows, always through
``visible_customers``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kehu.core import duelist, permissions
from kehu.core.models import Role
from kehu.customers.models import Interaction

NAME = "followups"
LABEL = _("Follow-up")


def pending_followups(*, user: Any, today: dt.date, scope: duelist.Scope) -> Any:
    """The standing follow-ups due by ``today`` (overdue only, for ``team``)."""
    later = Interaction.objects.filter(customer_id=OuterRef("customer_id")).filter(
        Q(occurred_at__gt=OuterRef("occurred_at"))
        | Q(occurred_at=OuterRef("occurred_at"), id__gt=OuterRef("id"))
    )
    qs = Interaction.objects.filter(
        next_contact_on__isnull=False,
        customer__in=permissions.visible_customers(user).values("id"),
    )
    if scope == "team":
        qs = qs.filter(next_contact_on__lt=today)
        role = permissions.role_of(user)
        if role != Role.ADMIN:
            teams = list(user.managed_teams.values_list("id", flat=True)) if role else []
            qs = qs.filter(customer__team_id__in=teams or [-1])
    else:
        qs = qs.filter(next_contact_on__lte=today, customer__owner=user)
    return qs.filter(~Exists(later)).select_related("customer", "customer__owner")


def source(*, user: Any, today: dt.date, scope: duelist.Scope, limit: int) -> Iterable[Any]:
    if permissions.role_of(user) is None:
        return []
    rows = pending_followups(user=user, today=today, scope=scope).order_by(
        "next_contact_on", "-customer__clv", "id"
    )[:limit]
    items = []
    for i in rows:
        customer = i.customer
        owner = customer.owner
        items.append(
            duelist.DueItem(
                source=NAME,
                kind_label=str(LABEL),
                title=i.next_contact_purpose
                or gettext("Contact %(name)s") % {"name": customer.name},
                due=i.next_contact_on,
                url=reverse("customers:interaction_create", args=[customer.pk]),
                priority=float(customer.clv or 0),
                customer_id=customer.pk,
                customer_name=customer.name,
                assignee_name=(owner.get_full_name() or owner.get_username()) if owner else "",
                detail=gettext("Last contact: %(subject)s") % {"subject": i.subject},
            )
        )
    return items


def register() -> None:
    duelist.register(NAME, LABEL, source)
