"""Manager review of reps (F7) and the development day (F6): reads only.

Whose numbers: ``reps_in_scope`` — an administrator sees every rep and manager; a manager
the people of the teams they manage and of their own team; anyone else only themselves.
Money is counted on the customers the viewer may see (``visible_customers``), owned by the
rep.

The KPIs, per rep, for the month of ``on`` up to ``on``:
- card completeness: of the rep's active cards, the share of the card fields (``CARD_FIELDS``:
  name, phone, e-mail, city, birthday, read from the card's customer or, before conversion,
  its lead) that are filled;
- contacts done: card calls and visits whose last date falls in the period; overdue: card
  calls and visits whose next date is before ``on``; due = done + overdue;
- sales: orders (not cancelled or returned) of the rep's customers in the period;
  collections: payments received from them in the period;
- overdue receivables: what is still owed on their invoices due before ``on``.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from kehu.core import permissions
from kehu.core.models import Role
from kehu.customers.models import Interaction
from kehu.development.models import Card, Lead, LeadTouch, Mailing, TouchTask
from kehu.development.rules import team_ids
from kehu.sales.models import Invoice, Order, Payment

CARD_FIELDS = ("name", "phone", "email", "city", "birthday")
DATE_FIELDS = {"birthday"}
ZERO = Decimal("0")


def reps_in_scope(user: Any) -> QuerySet:
    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    role = permissions.role_of(user)
    if role == Role.ADMIN:
        return users.filter(profile__role__in=[Role.SALES, Role.MANAGER]).order_by("username")
    if role == Role.MANAGER:
        return users.filter(
            Q(profile__team_id__in=team_ids(user)) | Q(pk=user.pk),
            profile__role__in=[Role.SALES, Role.MANAGER],
        ).order_by("username")
    return users.filter(pk=user.pk)


def _filled(name: str) -> Case:
    """1 when the card's holder (customer if converted, else lead) has ``name`` filled."""
    if name in DATE_FIELDS:
        on_customer = Q(customer__isnull=False, **{f"customer__{name}__isnull": False})
        on_lead = Q(customer__isnull=True, **{f"lead__{name}__isnull": False})
    else:
        on_customer = Q(customer__isnull=False) & ~Q(**{f"customer__{name}": ""})
        on_lead = Q(customer__isnull=True) & ~Q(**{f"lead__{name}": ""})
    return Case(When(on_customer | on_lead, then=1), default=0, output_field=IntegerField())


def card_completeness(card: Card) -> tuple[float, list[str]]:
    """(share filled, the missing field names) of one card."""
    holder = card.customer if card.customer_id else card.lead
    missing = [
        name for name in CARD_FIELDS if holder is None or getattr(holder, name) in ("", None)
    ]
    return 1 - len(missing) / len(CARD_FIELDS), missing


def month_start(on: dt.date) -> dt.date:
    return on.replace(day=1)


@dataclass
class RepRow:
    user: Any
    cards: int = 0
    completeness: float | None = None
    done: int = 0
    overdue: int = 0
    sales: Decimal = ZERO
    collections: Decimal = ZERO
    overdue_receivables: Decimal = ZERO

    @property
    def due(self) -> int:
        return self.done + self.overdue

    @property
    def done_rate(self) -> float | None:
        return self.done / self.due if self.due else None


def _money(qs: QuerySet, expression: Any, **filters: Any) -> dict[int, Decimal]:
    rows = (
        qs.filter(**filters)
        .values("customer__owner_id")
        .annotate(total=Coalesce(Sum(expression), ZERO, output_field=DecimalField()))
    )
    return {r["customer__owner_id"]: r["total"] for r in rows}


def rep_review(*, user: Any, on: dt.date) -> list[RepRow]:
    reps = list(reps_in_scope(user))
    ids = [r.pk for r in reps]
    start = month_start(on)
    cards = (
        Card.objects.filter(owner_id__in=ids, is_active=True)
        .values("owner_id")
        .annotate(
            n=Count("id"),
            filled=Sum(functools.reduce(operator.add, (_filled(f) for f in CARD_FIELDS))),
            calls=Count("id", filter=Q(last_call_on__range=(start, on))),
            visits=Count("id", filter=Q(last_visit_on__range=(start, on))),
            late_calls=Count("id", filter=Q(next_call_on__lt=on)),
            late_visits=Count("id", filter=Q(next_visit_on__lt=on)),
        )
    )
    by_rep: dict[int, dict[str, Any]] = {r["owner_id"]: dict(r) for r in cards}
    visible = permissions.visible_customers(user, include_archived=True).values("id")
    base = {"customer__owner_id__in": ids, "customer_id__in": visible}
    sales = _money(
        Order.objects.exclude(status__in=[Order.Status.CANCELLED, Order.Status.RETURNED]),
        "amount",
        ordered_on__range=(start, on),
        **base,
    )
    collections = _money(Payment.objects.all(), "amount", paid_on__range=(start, on), **base)
    owed = F("amount") - F("paid_amount") - F("written_off")
    receivables = _money(
        Invoice.objects.filter(amount__gt=F("paid_amount") + F("written_off")),
        owed,
        due_on__lt=on,
        **base,
    )
    rows = []
    for rep in reps:
        c: dict[str, Any] = by_rep.get(rep.pk, {})
        n = c.get("n", 0)
        rows.append(
            RepRow(
                user=rep,
                cards=n,
                completeness=c["filled"] / (n * len(CARD_FIELDS)) if n else None,
                done=c.get("calls", 0) + c.get("visits", 0),
                overdue=c.get("late_calls", 0) + c.get("late_visits", 0),
                sales=sales.get(rep.pk, ZERO),
                collections=collections.get(rep.pk, ZERO),
                overdue_receivables=receivables.get(rep.pk, ZERO),
            )
        )
    return rows


def rep_cards(*, rep: Any, on: dt.date, limit: int = 500) -> list[dict[str, Any]]:
    """The rep's active cards, least complete first, with what is missing and overdue."""
    cards = (
        Card.objects.filter(owner=rep, is_active=True)
        .select_related("lead", "customer")
        .order_by("number")[:limit]
    )
    rows = []
    for card in cards:
        share, missing = card_completeness(card)
        rows.append(
            {
                "card": card,
                "completeness": share,
                "missing": missing,
                "call_late": card.next_call_on < on,
                "visit_late": card.next_visit_on < on,
            }
        )
    rows.sort(key=lambda r: (r["completeness"], str(r["card"])))
    return rows


# --- the development day (F6) ---------------------------------------------------------------


@dataclass
class DayRow:
    user: Any
    contacts: list[dict[str, Any]] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    conversions: list[Lead] = field(default_factory=list)
    touches: list[Any] = field(default_factory=list)
    reviews: int = 0

    @property
    def idle(self) -> bool:
        return not (self.contacts or self.leads or self.conversions or self.touches or self.reviews)


def _day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def development_day(*, user: Any, day: dt.date, limit: int = 100) -> list[DayRow]:
    """What each rep in scope did on ``day``: contacts logged (on leads and on the customers
    the viewer sees), leads taken down, conversions, touches done and mailings, cards
    reviewed."""
    reps = list(reps_in_scope(user))
    ids = [r.pk for r in reps]
    rows = {r.pk: DayRow(user=r) for r in reps}
    span = _day_range(day)
    for t in (
        LeadTouch.objects.filter(user_id__in=ids, occurred_at__range=span)
        .select_related("lead")
        .order_by("occurred_at")[:limit]
    ):
        rows[t.user_id].contacts.append(
            {
                "at": t.occurred_at,
                "kind": t.get_kind_display(),
                "subject": t.subject,
                "name": t.lead.name,
            }
        )
    visible = permissions.visible_customers(user, include_archived=True).values("id")
    for i in (
        Interaction.objects.filter(
            user_id__in=ids, occurred_at__range=span, customer_id__in=visible
        )
        # A converted lead's touches are copied onto its customer: counted once, as touches.
        .exclude(external_id__startswith="lead-touch:")
        .select_related("customer")
        .order_by("occurred_at")[:limit]
    ):
        rows[i.user_id].contacts.append(
            {
                "at": i.occurred_at,
                "kind": i.get_channel_display(),
                "subject": i.subject,
                "name": i.customer.name,
            }
        )
    for lead in Lead.objects.filter(created_by_id__in=ids, created_at__range=span)[:limit]:
        rows[lead.created_by_id].leads.append(lead)
    for lead in Lead.objects.filter(owner_id__in=ids, converted_at__range=span)[:limit]:
        rows[lead.owner_id].conversions.append(lead)
    for task in TouchTask.objects.filter(done_by_id__in=ids, done_at__range=span).select_related(
        "customer", "lead"
    )[:limit]:
        rows[task.done_by_id].touches.append(task)
    for mailing in Mailing.objects.filter(by_id__in=ids, created_at__range=span)[:limit]:
        rows[mailing.by_id].touches.append(mailing)
    reviews = (
        Card.objects.filter(owner_id__in=ids, last_reviewed_on=day)
        .values("owner_id")
        .annotate(n=Count("id"))
    )
    for r in reviews:
        rows[r["owner_id"]].reviews = r["n"]
    for row in rows.values():
        row.contacts.sort(key=lambda c: c["at"])
    return list(rows.values())
