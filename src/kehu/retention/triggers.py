"""Triggers besides the nightly risk band (D2): which customers need a retention task today
for a reason of their own. Each function answers with {customer id: detail} in bounded
aggregate queries; generation applies the policy to them (tier × at least the medium band).

- complaint past its deadline: the service app's selector when it offers one, else the
  tickets read directly (service sits beside retention, so either is a sideways import);
- spend down sharply: the last 180 days' orders against the 180 before, down by at least
  ``SPEND_DROP`` on a base of at least ``SPEND_BASE``;
- contract or plan ending within ``CONTRACT_DAYS``: the custom attribute ``contract_end``
  (YYYY-MM-DD), as imports and the churn model read it;
- no contact within the cadence: key and major customers with no interaction for
  ``CADENCE_DAYS`` of their tier;
- P(active) drop: the customer's P(alive) fell by ``P_ALIVE_DROP`` or more between the two
  latest analytics runs (read by table name: insights sits above retention).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from kehu.customers.models import Customer, Interaction

SPEND_DROP = 0.5
SPEND_BASE = Decimal("1000")
SPEND_WINDOW = dt.timedelta(days=180)
CONTRACT_DAYS = 30
CADENCE_DAYS = {"key": 30, "major": 60}
P_ALIVE_DROP = 0.3


def complaint_overdue(as_of: dt.date) -> dict[int, str]:
    try:
        from kehu.service import selectors as service_selectors  # type: ignore[attr-defined]

        overdue = service_selectors.overdue_complaint_customers  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        overdue = None
    if overdue is not None:
        return {int(cid): "complaint" for cid in overdue(as_of=as_of)}
    from kehu.service.models import Ticket

    now = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    rows = (
        Ticket.objects.filter(
            kind=Ticket.Kind.COMPLAINT,
            due_at__lt=now,
        )
        # Plain values: the service app is reworking its statuses; whatever is not resolved
        # or closed is still unresolved for the customer.
        .exclude(status__in=["resolved", "closed"])
        .values_list("customer_id", "subject")
        .order_by("customer_id", "due_at")
    )
    result: dict[int, str] = {}
    for customer_id, subject in rows:
        result.setdefault(customer_id, subject[:80])
    return result


def spend_down(as_of: dt.date) -> dict[int, str]:
    from kehu.sales.models import Order

    recent_from = as_of - SPEND_WINDOW
    before_from = recent_from - SPEND_WINDOW
    rows = (
        Order.objects.filter(
            ordered_on__gt=before_from,
            ordered_on__lte=as_of,
            status=Order.Status.COMPLETED,
        )
        .values("customer_id")
        .annotate(
            before=Sum("amount", filter=Q(ordered_on__lte=recent_from)),
            recent=Sum("amount", filter=Q(ordered_on__gt=recent_from)),
        )
        .filter(before__gte=SPEND_BASE)
    )
    result = {}
    for row in rows:
        before, recent = row["before"], row["recent"] or Decimal(0)
        if recent <= before * Decimal(str(1 - SPEND_DROP)):
            result[row["customer_id"]] = f"{float((before - recent) / before):.0%}"
    return result


def contract_ending(as_of: dt.date) -> dict[int, str]:
    rows = (
        Customer.objects.filter(is_archived=False, attributes__has_key="contract_end")
        .values_list("id", "attributes__contract_end")
        .iterator(chunk_size=5000)
    )
    result = {}
    horizon = as_of + dt.timedelta(days=CONTRACT_DAYS)
    for customer_id, raw in rows:
        try:
            ends = dt.date.fromisoformat(str(raw)[:10])
        except ValueError:
            continue
        if as_of <= ends <= horizon:
            result[customer_id] = ends.isoformat()
    return result


def no_contact(as_of: dt.date) -> dict[int, str]:
    result: dict[int, str] = {}
    for tier, days in CADENCE_DAYS.items():
        cutoff = timezone.make_aware(
            dt.datetime.combine(as_of - dt.timedelta(days=days), dt.time())
        )
        customers = Customer.objects.filter(tier=tier, is_archived=False, owner__isnull=False)
        recent = Interaction.objects.filter(occurred_at__gte=cutoff).values("customer_id")
        for customer_id in customers.exclude(id__in=recent).values_list("id", flat=True):
            result[customer_id] = str(days)
    return result


def p_alive_drop(as_of: dt.date) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM insights_analyticsrun WHERE status = 'succeeded' AND as_of <= %s "
            "ORDER BY as_of DESC, id DESC LIMIT 2",
            [as_of],
        )
        runs = [row[0] for row in cursor.fetchall()]
        if len(runs) < 2:
            return {}
        cursor.execute(
            "SELECT n.customer_id, o.p_alive, n.p_alive FROM insights_customerscore n "
            "JOIN insights_customerscore o ON o.customer_id = n.customer_id AND o.run_id = %s "
            "WHERE n.run_id = %s AND o.p_alive - n.p_alive >= %s",
            [runs[1], runs[0], P_ALIVE_DROP],
        )
        return {cid: f"{old:.0%} → {new:.0%}" for cid, old, new in cursor.fetchall()}


TRIGGERS: dict[str, Callable[[dt.date], dict[int, str]]] = {
    "complaint": complaint_overdue,
    "spend_down": spend_down,
    "contract_end": contract_ending,
    "no_contact": no_contact,
    "p_alive_drop": p_alive_drop,
}


def fired(as_of: dt.date) -> dict[int, tuple[str, str]]:
    """{customer id: (trigger, detail)}: the first trigger (in TRIGGERS order) per customer."""
    result: dict[int, tuple[str, str]] = {}
    for name, find in TRIGGERS.items():
        for customer_id, detail in find(as_of).items():
            result.setdefault(customer_id, (name, detail))
    return result


__all__ = ["TRIGGERS", "fired"]
