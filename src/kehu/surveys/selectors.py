"""Survey reads, always through the visibility rule: responses of the customers the user may
see (partner users none: a company's satisfaction data is not the dealer's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.surveys.models import Invitation, Response, Survey


def csat_for_ticket(ticket: Any) -> Response | None:
    """The customer's CSAT rating of ``ticket``, if they gave one (the caller has already
    checked that its user may see the ticket)."""
    return (
        Response.objects.filter(kind=Survey.Kind.CSAT_TICKET, ticket_id=ticket.pk)
        .order_by("-answered_at")
        .first()
    )


def csat_invitation_for_ticket(ticket: Any) -> Invitation | None:
    return (
        Invitation.objects.filter(ticket_id=ticket.pk, survey__kind=Survey.Kind.CSAT_TICKET)
        .order_by("-id")
        .first()
    )


def visible_responses(user: Any) -> QuerySet:
    return permissions.restrict(Response.objects.all(), user, Action.VIEW)


def visible_invitations(user: Any) -> QuerySet:
    return permissions.restrict(Invitation.objects.all(), user, Action.VIEW)


# --- results -------------------------------------------------------------------------------

CSAT_KINDS = (Survey.Kind.CSAT_TICKET, Survey.Kind.CSAT_ORDER)
DIMENSIONS = {"team": "team_id", "agent": "agent_id", "category": "category", "tier": "tier"}
MAX_MONTHS = 24


@dataclass
class ResultRow:
    month: dt.date
    key: Any = None
    label: str = ""
    csat: int = 0
    csat_sum: int = 0
    completely: int = 0  # 5
    satisfied: int = 0  # 4
    unsatisfied: int = 0  # 1-3
    nps: int = 0
    promoters: int = 0
    detractors: int = 0

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def csat_average(self) -> float | None:
        return round(self.csat_sum / self.csat, 2) if self.csat else None

    @property
    def completely_pct(self) -> float | None:
        return self._pct(self.completely, self.csat)

    @property
    def satisfied_pct(self) -> float | None:
        return self._pct(self.satisfied, self.csat)

    @property
    def unsatisfied_pct(self) -> float | None:
        return self._pct(self.unsatisfied, self.csat)

    @property
    def nps_score(self) -> float | None:
        """%promoters (9-10) − %detractors (0-6)."""
        if not self.nps:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps, 1)


@dataclass
class RateRow:
    month: dt.date
    kind: str
    invited: int
    answered: int

    @property
    def rate_pct(self) -> float | None:
        return round(100 * self.answered / self.invited, 1) if self.invited else None


def month_starts(months: int, today: dt.date) -> list[dt.date]:
    months = max(1, min(months, MAX_MONTHS))
    out = []
    year, month = today.year, today.month
    for _i in range(months):
        out.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _start(first: dt.date) -> dt.datetime:
    return dt.datetime.combine(first, dt.time(), timezone.get_current_timezone())


def _as_month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return dt.date(value.year, value.month, 1)


def results(
    *, user: Any, months: int = 12, by: str = "", today: dt.date | None = None
) -> list[ResultRow]:
    """CSAT and NPS per month (and per team, agent, category or tier), over the answers of the
    customers ``user`` sees."""
    today = today or timezone.localdate()
    first = month_starts(months, today)[0]
    key = DIMENSIONS.get(by)
    qs = visible_responses(user).filter(answered_at__gte=_start(first), score__isnull=False)
    fields = ["m"] + ([key] if key else [])
    csat = Q(kind__in=CSAT_KINDS)
    nps = Q(kind=Survey.Kind.NPS)
    grouped = (
        qs.annotate(m=TruncMonth("answered_at"))
        .values(*fields)
        .annotate(
            n_csat=Count("id", filter=csat),
            sum_csat=Sum("score", filter=csat),
            n5=Count("id", filter=csat & Q(score=5)),
            n4=Count("id", filter=csat & Q(score=4)),
            n_nps=Count("id", filter=nps),
            n_pro=Count("id", filter=nps & Q(score__gte=9)),
            n_det=Count("id", filter=nps & Q(score__lte=6)),
        )  # fmt: skip
        .order_by(*fields)
    )
    rows = []
    for r in grouped:
        row = ResultRow(month=_as_month(r["m"]), key=r[key] if key else None)
        row.csat, row.csat_sum = r["n_csat"], r["sum_csat"] or 0
        row.completely, row.satisfied = r["n5"], r["n4"]
        row.unsatisfied = row.csat - row.completely - row.satisfied
        row.nps, row.promoters, row.detractors = r["n_nps"], r["n_pro"], r["n_det"]
        rows.append(row)
    labels = _labels(by, {r.key for r in rows})
    for row in rows:
        row.label = labels.get(row.key, "") if key else ""
    return rows


def _labels(by: str, keys: set) -> dict:
    from django.contrib.auth import get_user_model

    from kehu.core.models import Team
    from kehu.customers.models import Customer

    none = str(_("(none)"))
    if by == "team":
        names = dict(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, none) for k in keys}
    if by == "agent":
        users = {u.pk: u.get_full_name() or u.username
                 for u in get_user_model().objects.filter(pk__in=[k for k in keys if k])}  # fmt: skip
        return {k: users.get(k, none) for k in keys}
    if by == "tier":
        tiers = dict(Customer.Tier.choices)
        return {k: str(tiers.get(k, none)) for k in keys}
    return {k: k or none for k in keys}


def response_rates(*, user: Any, months: int = 12, today: dt.date | None = None) -> list[RateRow]:
    """Invitations sent per month and kind, and how many of them were answered."""
    today = today or timezone.localdate()
    first = month_starts(months, today)[0]
    grouped = (
        visible_invitations(user)
        .filter(asked_on__gte=first)
        .annotate(m=TruncMonth("asked_on"))
        .values("m", "survey__kind")
        .annotate(n=Count("id"), answered=Count("id", filter=Q(used_at__isnull=False)))
        .order_by("m", "survey__kind")
    )
    return [RateRow(month=_as_month(r["m"]), kind=r["survey__kind"], invited=r["n"],
                    answered=r["answered"]) for r in grouped]  # fmt: skip


# --- the satisfaction → loyalty curve ------------------------------------------------------

RETAINED_OUT = ("lapsed", "lost")
RETAINED_DAYS = 180


def loyalty_table(user: Any, *, today: dt.date | None = None) -> list[tuple[int, int, bool, bool]]:
    """One row per visible customer who answered a CSAT survey: ``(customer_id, latest
    score, retained, repurchased)``. Retained: still a customer today — not archived, not
    lapsed or lost (the analytics' lifecycle status), and a completed order in the last
    ``RETAINED_DAYS``; repurchased: a completed order after the day of that answer."""
    from kehu.sales.models import Order

    today = today or timezone.localdate()
    recent = today - dt.timedelta(days=RETAINED_DAYS)

    last_order = (
        Order.objects.filter(customer_id=OuterRef("customer_id"), status=Order.Status.COMPLETED)
        .order_by("-ordered_on")
        .values("ordered_on")[:1]
    )
    qs = (
        visible_responses(user)
        .filter(kind__in=CSAT_KINDS, score__isnull=False)
        .annotate(last_order=Subquery(last_order))
        .order_by("customer_id", "-answered_at", "-id")
        .values_list(
            "customer_id",
            "score",
            "answered_at",
            "last_order",
            "customer__is_archived",
            "customer__lifecycle_status",
        )  # fmt: skip
    )
    rows: list[tuple[int, int, bool, bool]] = []
    previous = None
    for customer_id, score, answered_at, last, archived, lifecycle in qs.iterator(chunk_size=5000):
        if customer_id == previous:
            continue
        previous = customer_id
        answered_on = timezone.localdate(answered_at)
        retained = (not archived and lifecycle not in RETAINED_OUT
                    and last is not None and last > recent)  # fmt: skip
        rows.append((customer_id, score, retained, last is not None and last > answered_on))
    return rows
