"""Service measures (H1): first-response time, resolution time (wall-clock and business
hours), SLA compliance, backlog, reopen rate, first-contact resolution, call handling time,
CSAT and NPS, per month and by team, agent, category or customer tier.

Who sees what (as Zendesk Explore: report viewers see everything they may see, agents their
own work):

* administrators, managers and analysts (``see_reports``) see the measures of every ticket
  they may see (``visible_tickets``: a manager their teams' customers' tickets); analysts
  read them like everyone else here, since measures carry no personal data;
* service agents see the measures of the tickets assigned to them or to their team, the
  calls they took and the survey answers about them or their team;
* sales reps and channel-partner users see none (``scope`` is None: the pages answer 403).

Every figure is a grouped SQL aggregate over a bounded period (at most ``MAX_MONTHS``), a
fixed number of queries whatever the number of tickets. The one exception is resolution time
in business hours, which needs the working calendar (holidays): it is the median over at most
``BUSINESS_SAMPLE`` tickets per month (the latest resolved), and says so.

Months are calendar months in the site's time zone. A ticket counts in the month it was
opened for first response, in the month it was resolved for resolution, SLA compliance,
reopen rate and first-contact resolution; backlog is the tickets open at a month's end.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions
from kehu.core.models import Role, Team
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.service import sla
from kehu.service.models import Call, Ticket, TicketMessage
from kehu.service.selectors import visible_tickets

MAX_MONTHS = 24
DEFAULT_MONTHS = 12
BUSINESS_SAMPLE = 500

# Dimension → (ticket field, call field, survey-response field); None: not applicable.
DIMENSIONS: dict[str, tuple[str, str | None, str | None]] = {
    "team": ("team_id", "agent__profile__team_id", "team_id"),
    "agent": ("assigned_to_id", "agent_id", "agent_id"),
    "category": ("category", None, "category"),
    "tier": ("customer__tier", "customer__tier", "tier"),
}
DIMENSION_LABELS = {
    "": _("Overall"),
    "team": _("Team"),
    "agent": _("Agent"),
    "category": _("Category"),
    "tier": _("Tier"),
}
ALL = "all"
OWN = "own"


def scope(user: Any) -> str | None:
    """``all`` (every visible ticket), ``own`` (a service agent's and their team's), or None."""
    if permissions.role_may(user, Action.SEE_REPORTS):
        return ALL
    if permissions.role_of(user) == Role.SERVICE:
        return OWN
    return None


def _team_of(user: Any) -> int | None:
    profile = getattr(user, "profile", None)
    return getattr(profile, "team_id", None)


def scoped_tickets(user: Any) -> QuerySet:
    """The tickets whose measures ``user`` sees (none when ``scope`` is None)."""
    kind = scope(user)
    if kind is None:
        return Ticket.objects.none()
    qs = visible_tickets(user)
    if kind == OWN:
        team = _team_of(user)
        mine = Q(assigned_to_id=user.pk)
        qs = qs.filter(mine | Q(team_id=team) if team else mine)
    return qs


def scoped_calls(user: Any) -> QuerySet:
    kind = scope(user)
    if kind is None:
        return Call.objects.none()
    if kind == OWN:
        team = _team_of(user)
        mine = Q(agent_id=user.pk)
        return Call.objects.filter(mine | Q(agent__profile__team_id=team) if team else mine)
    # A call without a matched customer is nobody's data but the agent's: shown to those who
    # see every customer; others see the calls of the customers they see.
    condition = permissions.visibility_filter(user)
    if condition is not None and not condition:
        return Call.objects.all()
    return Call.objects.filter(customer__in=permissions.visible_customers(user).values("pk"))


# Survey answers come from an app above this one (kehu.surveys): it is fed through this
# hook, which the balanced report's module (kehu.insights.selectors_balanced) sets when the
# surveys app is installed. The source returns the answers a user may see, each with kind,
# score (1-5 CSAT, 0-10 NPS), answered_at, team_id, agent_id, category and tier.
SurveySource = Callable[[Any], QuerySet]
_survey_source: SurveySource | None = None


def set_survey_source(source: SurveySource | None) -> None:
    global _survey_source
    _survey_source = source


def survey_responses(user: Any) -> QuerySet | None:
    """The survey answers ``user`` sees, or None while no survey source is registered (the
    pages then say "no survey data yet")."""
    if _survey_source is None:
        return None
    kind = scope(user)
    qs = _survey_source(user)
    if kind is None:
        return qs.none()
    if kind == OWN:
        team = _team_of(user)
        mine = Q(agent_id=user.pk)
        qs = qs.filter(mine | Q(team_id=team) if team else mine)
    return qs


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    first: dt.date  # the first day of the first month
    months: int

    @property
    def month_starts(self) -> list[dt.date]:
        out, day = [], self.first
        for _i in range(self.months):
            out.append(day)
            day = _next_month(day)
        return out

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        end = _next_month(self.month_starts[-1])
        return (
            dt.datetime.combine(self.first, dt.time(), tz),
            dt.datetime.combine(end, dt.time(), tz),
        )


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def last_months(months: int = DEFAULT_MONTHS, *, today: dt.date | None = None) -> Period:
    """The ``months`` calendar months up to and including this one."""
    months = max(1, min(months, MAX_MONTHS))
    today = today or timezone.localdate()
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return Period(dt.date(year, month, 1), months)


def month_of(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return dt.date(value.year, value.month, 1)
    return dt.date(value.year, value.month, 1)


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One month (and one team, agent, category or tier) of measures. Counts are kept with
    the averages so rows add up over months (``combine``)."""

    month: dt.date | None
    key: Any = None
    label: str = ""
    opened: int = 0
    answered: int = 0
    first_response_hours: float | None = None
    response_judged: int = 0
    response_met: int = 0
    resolved: int = 0
    resolution_hours: float | None = None
    resolution_business_hours: float | None = None
    business_sample: int = 0
    resolved_on_time: int = 0
    reopened: int = 0
    fcr: int = 0
    backlog: int | None = None
    calls: int = 0
    handling_minutes: float | None = None
    csat_answers: int = 0
    csat_average: float | None = None
    satisfied: int = 0
    completely_satisfied: int = 0
    nps_answers: int = 0
    promoters: int = 0
    detractors: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def sla_pct(self) -> float | None:
        """Resolved within the resolution deadline, of the tickets resolved."""
        return self._pct(self.resolved_on_time, self.resolved)

    @property
    def response_sla_pct(self) -> float | None:
        """Answered in time, of the tickets answered or already late."""
        return self._pct(self.response_met, self.response_judged)

    @property
    def reopen_pct(self) -> float | None:
        return self._pct(self.reopened, self.resolved)

    @property
    def fcr_pct(self) -> float | None:
        return self._pct(self.fcr, self.resolved)

    @property
    def satisfied_pct(self) -> float | None:
        """CSAT as the share of 4s and 5s (the usual CSAT score)."""
        return self._pct(self.satisfied, self.csat_answers)

    @property
    def completely_satisfied_pct(self) -> float | None:
        """The 5s alone: completely satisfied customers are the loyal ones (E1)."""
        return self._pct(self.completely_satisfied, self.csat_answers)

    @property
    def nps(self) -> float | None:
        if not self.nps_answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers, 1)


def _wavg(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    total = weight = 0.0
    for value, n in pairs:
        if value is not None and n:
            total += value * n
            weight += n
    return round(total / weight, 2) if weight else None


def combine(rows: list[Row], *, key: Any = None, label: str = "") -> Row:
    """The rows as one (a key's whole period): counts add, averages weigh by their counts,
    backlog is the last month's."""
    out = Row(month=None, key=key, label=label)
    for name in ("opened", "answered", "response_judged", "response_met", "resolved",
                 "resolved_on_time", "reopened", "fcr", "calls", "csat_answers", "satisfied",
                 "completely_satisfied", "nps_answers", "promoters", "detractors",
                 "business_sample"):  # fmt: skip
        setattr(out, name, sum(getattr(r, name) for r in rows))
    out.first_response_hours = _wavg((r.first_response_hours, r.answered) for r in rows)
    out.resolution_hours = _wavg((r.resolution_hours, r.resolved) for r in rows)
    out.resolution_business_hours = _wavg(
        (r.resolution_business_hours, r.business_sample) for r in rows
    )
    out.handling_minutes = _wavg((r.handling_minutes, r.calls) for r in rows)
    out.csat_average = _wavg((r.csat_average, r.csat_answers) for r in rows)
    dated = [r for r in rows if r.month is not None and r.backlog is not None]
    out.backlog = max(dated, key=lambda r: r.month or dt.date.min).backlog if dated else None
    return out


# --------------------------------------------------------------------------- queries


def _hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _replies() -> Subquery:
    return Subquery(
        TicketMessage.objects.filter(ticket=OuterRef("pk"), kind=TicketMessage.Kind.REPLY)
        .order_by()
        .values("ticket")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def fcr_condition() -> Q:
    """First-contact resolution: a resolved (or closed) ticket that was never reopened and
    got exactly one public reply from the service side (internal notes and the customer's
    own messages do not count). A ticket resolved with no reply at all is not one: nobody
    answered the customer. Needs the ``replies`` annotation (``with_replies``)."""
    return Q(replies=1, reopened_count=0)


def with_replies(qs: QuerySet) -> QuerySet:
    return qs.annotate(replies=Coalesce(_replies(), Value(0)))


def _key_expr(by: str, kind: int) -> str | None:
    if not by:
        return None
    return DIMENSIONS[by][kind]


def _group(qs: QuerySet, month_field: str, key: str | None) -> QuerySet:
    qs = qs.annotate(m=TruncMonth(month_field)).order_by()
    return qs.values("m", key) if key else qs.values("m")


def _rows_for(table: dict, month: dt.date, key: Any) -> Row:
    row = table.get((month, key))
    if row is None:
        row = table[(month, key)] = Row(month=month, key=key)
    return row


def ticket_rows(qs: QuerySet, period: Period, by: str = "") -> dict[tuple[dt.date, Any], Row]:
    """The ticket measures of ``qs`` per (month, key): four grouped queries and one
    bounded sample per month for business hours."""
    start, end = period.bounds()
    key = _key_expr(by, 0)
    table: dict[tuple[dt.date, Any], Row] = {}

    first_response = ExpressionWrapper(
        F("first_response_at") - F("opened_at"), output_field=DurationField()
    )
    answered = Q(first_response_at__isnull=False)
    met = answered & (
        Q(first_response_due_at__isnull=True) | Q(first_response_at__lte=F("first_response_due_at"))
    )
    for r in _group(qs.filter(opened_at__gte=start, opened_at__lt=end), "opened_at", key).annotate(
        n=Count("id"),
        n_answered=Count("id", filter=answered),
        frt=Avg(first_response, filter=answered),
        judged=Count("id", filter=answered | Q(response_breached=True)),
        n_met=Count("id", filter=met),
    ):
        row = _rows_for(table, month_of(r["m"]), r[key] if key else None)
        row.opened, row.answered = r["n"], r["n_answered"]
        row.first_response_hours = _hours(r["frt"])
        row.response_judged, row.response_met = r["judged"], r["n_met"]

    resolution = ExpressionWrapper(F("resolved_at") - F("opened_at"), output_field=DurationField())
    done = with_replies(
        qs.filter(status__in=Ticket.DONE, resolved_at__gte=start, resolved_at__lt=end)
    )
    for r in _group(done, "resolved_at", key).annotate(
        n=Count("id"),
        wall=Avg(resolution),
        on_time=Count("id", filter=Q(resolution_breached=False)),
        n_reopened=Count("id", filter=Q(reopened_count__gt=0)),
        n_fcr=Count("id", filter=fcr_condition()),
    ):
        row = _rows_for(table, month_of(r["m"]), r[key] if key else None)
        row.resolved, row.resolution_hours = r["n"], _hours(r["wall"])
        row.resolved_on_time, row.reopened, row.fcr = r["on_time"], r["n_reopened"], r["n_fcr"]

    _business_hours(qs, period, key, table)
    _backlog(qs, period, key, table)
    return table


def _business_hours(qs: QuerySet, period: Period, key: str | None, table: dict) -> None:
    """Median business hours from opening to resolution, less the time paused waiting on the
    customer, over the latest ``BUSINESS_SAMPLE`` tickets resolved in each month."""
    for first in period.month_starts:
        start, end = Period(first, 1).bounds()
        fields = ["opened_at", "resolved_at", "paused_hours"] + ([key] if key else [])
        values: dict[Any, list[float]] = defaultdict(list)
        sample = (
            qs.filter(status__in=Ticket.DONE, resolved_at__gte=start, resolved_at__lt=end)
            .order_by("-resolved_at")
            .values_list(*fields)[:BUSINESS_SAMPLE]
        )
        for opened, resolved, paused, *rest in sample:
            hours = float(sla.hours_between(opened, resolved) - (paused or 0))
            values[rest[0] if rest else None].append(max(hours, 0.0))
        for k, hours_list in values.items():
            row = _rows_for(table, first, k)
            row.resolution_business_hours = round(statistics.median(hours_list), 2)
            row.business_sample = len(hours_list)


def _backlog(qs: QuerySet, period: Period, key: str | None, table: dict) -> None:
    """Tickets open at each month's end (opened before it, not resolved by then): one query
    with a conditional count per month."""
    _start, last_end = period.bounds()
    counts = {}
    for i, first in enumerate(period.month_starts):
        _s, end = Period(first, 1).bounds()
        counts[f"b{i}"] = Count(
            "id",
            filter=Q(opened_at__lt=end) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)),
        )
    base = (
        qs.filter(opened_at__lt=last_end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=period.bounds()[0]))
        .order_by()
    )
    grouped = base.values(key).annotate(**counts) if key else [base.aggregate(**counts)]
    for r in grouped:
        for i, first in enumerate(period.month_starts):
            n = r[f"b{i}"]
            if n or (first, r[key] if key else None) in table:
                _rows_for(table, first, r[key] if key else None).backlog = n
    for (month, _k), row in table.items():
        if row.backlog is None and month is not None:
            row.backlog = 0


def call_rows(qs: QuerySet, period: Period, by: str, table: dict) -> None:
    """Call handling time: the average duration of the calls ended, by the month they rang."""
    if by and DIMENSIONS[by][1] is None:
        return
    start, end = period.bounds()
    key = _key_expr(by, 1)
    ended = qs.filter(started_at__gte=start, started_at__lt=end, duration_seconds__isnull=False)
    for r in _group(ended, "started_at", key).annotate(n=Count("id"), avg=Avg("duration_seconds")):
        row = _rows_for(table, month_of(r["m"]), r[key] if key else None)
        row.calls = r["n"]
        row.handling_minutes = None if r["avg"] is None else round(r["avg"] / 60, 2)


CSAT_KINDS = ("csat_ticket", "csat_order")


def survey_rows(qs: QuerySet | None, period: Period, by: str, table: dict) -> bool:
    """CSAT (1-5) and NPS (0-10) answers by the month they were given; False when there is
    no survey data at all for the period (the pages say so)."""
    if qs is None:
        return False
    start, end = period.bounds()
    key = _key_expr(by, 2)
    answers = qs.filter(answered_at__gte=start, answered_at__lt=end, score__isnull=False)
    csat = Q(kind__in=CSAT_KINDS)
    nps = Q(kind="nps")
    found = False
    for r in _group(answers, "answered_at", key).annotate(
        n_csat=Count("id", filter=csat),
        avg_csat=Avg("score", filter=csat),
        n_satisfied=Count("id", filter=csat & Q(score__gte=4)),
        n_complete=Count("id", filter=csat & Q(score=5)),
        n_nps=Count("id", filter=nps),
        n_promoters=Count("id", filter=nps & Q(score__gte=9)),
        n_detractors=Count("id", filter=nps & Q(score__lte=6)),
    ):
        if not (r["n_csat"] or r["n_nps"]):
            continue
        found = True
        row = _rows_for(table, month_of(r["m"]), r[key] if key else None)
        row.csat_answers = r["n_csat"]
        row.csat_average = None if r["avg_csat"] is None else round(float(r["avg_csat"]), 2)
        row.satisfied, row.completely_satisfied = r["n_satisfied"], r["n_complete"]
        row.nps_answers = r["n_nps"]
        row.promoters, row.detractors = r["n_promoters"], r["n_detractors"]
    return found


# --------------------------------------------------------------------------- the report


@dataclass
class Measures:
    period: Period
    by: str
    rows: list[Row]  # month rows (by == ""), or (key, month) rows
    totals: list[Row]  # one per key over the whole period (by != ""), or the overall total
    has_surveys: bool
    surveys_installed: bool
    scope: str | None


def labels_for(by: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k not in (None, "")]
    none = str(_("(none)"))
    if by == "team":
        names = dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
        return {k: names.get(k, none) for k in keys}
    if by == "agent":
        users = get_user_model().objects.filter(pk__in=keys)
        return {u.pk: u.get_full_name() or u.username for u in users}
    if by == "tier":
        return {k: str(dict(Customer.Tier.choices).get(k, k)) for k in keys}
    return {k: str(k) for k in keys}


def measures(*, user: Any, period: Period, by: str = "") -> Measures:
    """The measures ``user`` may see over ``period``, overall or by a dimension."""
    if by and by not in DIMENSIONS:
        raise ValueError(f"by: {by!r} is not one of {', '.join(DIMENSIONS)}")
    table = ticket_rows(scoped_tickets(user), period, by)
    call_rows(scoped_calls(user), period, by, table)
    responses = survey_responses(user)
    has_surveys = survey_rows(responses, period, by, table)
    labels = labels_for(by, {k for _m, k in table})
    none = str(_("(none)"))
    for (_m, k), row in table.items():
        row.label = labels.get(k, none) if by else ""
    if not by:
        rows = [table.get((m, None)) or Row(month=m, backlog=0) for m in period.month_starts]
        totals = [combine(rows, label=str(_("Total")))]
    else:
        keys = sorted({k for _m, k in table}, key=lambda k: (labels.get(k, none), str(k)))
        rows, totals = [], []
        for k in keys:
            mine = sorted(
                (r for (m, kk), r in table.items() if kk == k), key=lambda r: r.month or dt.date.min
            )
            rows += mine
            totals.append(combine(mine, key=k, label=labels.get(k, none)))
    return Measures(
        period=period,
        by=by,
        rows=rows,
        totals=totals,
        has_surveys=has_surveys,
        surveys_installed=responses is not None,
        scope=scope(user),
    )
