"""The balanced report (H1, H2): satisfaction, retention rate, call handling time and
first-contact resolution side by side per month, against the customer strategy's targets
for each customer tier (``kehu.service.models.TierTarget``).

It sits here (layer 5) because it joins three apps: the service measures
(``kehu.service.measures``: handling time, first-contact resolution, SLA), the survey
answers (``kehu.surveys``: CSAT and NPS, fed to the measures through their hook, registered
by ``register``), and the churn scores of the analytics runs (retention).

Retention rate follows the churn report's definition (``selectors_churn_report.churn_trend``):
the share of the scored customers not in complete churn, from the last analytics run of each
month, over the customers the user sees (and of the tier chosen). For the report roles
(managers, analysts, administrators) only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.insights import selectors
from kehu.insights.models import AnalyticsRun
from kehu.service import measures
from kehu.service.models import TierTarget

# (field, label, higher is better); the same names on BalancedMonth and TierTarget.
MEASURES: list[tuple[str, Any, bool]] = [
    ("csat_pct", _("Satisfied customers (CSAT 4-5, %)"), True),
    ("nps", _("NPS"), True),
    ("retention_pct", _("Retention rate (%)"), True),
    ("handling_minutes", _("Call handling time (minutes)"), False),
    ("fcr_pct", _("First-contact resolution (%)"), True),
    ("sla_pct", _("Resolved in time (%)"), True),
]
TIERS = [t for t, _label in Customer.Tier.choices]


def register() -> None:
    """Feed the survey answers to the service measures (surveys sit above service)."""
    if apps.is_installed("kehu.surveys"):
        from kehu.surveys.selectors import visible_responses

        measures.set_survey_source(visible_responses)


def may_read(user: Any) -> bool:
    return permissions.role_may(user, Action.SEE_REPORTS)


@dataclass
class BalancedMonth:
    month: dt.date
    csat_pct: float | None
    completely_satisfied_pct: float | None
    csat_answers: int
    nps: float | None
    nps_answers: int
    retention_pct: float | None
    scored_customers: int
    handling_minutes: float | None
    calls: int
    fcr_pct: float | None
    sla_pct: float | None
    resolved: int

    def value(self, name: str) -> float | None:
        return getattr(self, name)


@dataclass
class Balanced:
    period: measures.Period
    tier: str
    months: list[BalancedMonth]
    target: TierTarget | None
    targets: list[TierTarget]
    has_surveys: bool
    surveys_installed: bool
    has_retention: bool

    def verdict(self, month: BalancedMonth, name: str) -> str:
        """``met``, ``missed`` or "" (no target or no value) for a month's measure."""
        if self.target is None:
            return ""
        goal = getattr(self.target, name)
        value = month.value(name)
        if goal is None or value is None:
            return ""
        higher = next(h for n, _l, h in MEASURES if n == name)
        ok = value >= float(goal) if higher else value <= float(goal)
        return "met" if ok else "missed"

    def target_values(self) -> dict[str, float | None]:
        if self.target is None:
            return {}
        return {n: _float(getattr(self.target, n)) for n, _l, _h in MEASURES}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def retention_by_month(
    *, user: Any, period: measures.Period, tier: str = ""
) -> dict[dt.date, tuple[float, int]]:
    """Month → (retention %, customers scored), from each month's last analytics run."""
    start = period.first
    end = measures.Period(period.month_starts[-1], 1).bounds()[1].date()
    last_run: dict[dt.date, int] = {}
    for pk, as_of in (
        AnalyticsRun.objects.filter(
            status=AnalyticsRun.Status.SUCCEEDED, as_of__gte=start, as_of__lt=end
        )
        .order_by("as_of", "finished_at", "id")
        .values_list("pk", "as_of")
    ):
        last_run[measures.month_of(as_of)] = pk
    if not last_run:
        return {}
    customers = permissions.visible_customers(user)
    if tier:
        customers = customers.filter(tier=tier)
    rows = (
        selectors._scores(customers=customers, filters=selectors.ReportFilters())
        .filter(run__in=list(last_run.values()))
        .order_by()
        .values("run")
        .annotate(
            n=Count("id"), n_complete=Count("id", filter=Q(churn_type=Customer.ChurnType.COMPLETE))
        )
    )
    by_run = {r["run"]: r for r in rows}
    out = {}
    for month, pk in last_run.items():
        r = by_run.get(pk)
        if r and r["n"]:
            out[month] = (round(100 * (r["n"] - r["n_complete"]) / r["n"], 1), r["n"])
    return out


def balanced(*, user: Any, period: measures.Period, tier: str = "") -> Balanced:
    if tier and tier not in TIERS:
        raise ValueError(f"tier: {tier!r} is not one of {', '.join(TIERS)}")
    m = measures.measures(user=user, period=period, by="tier" if tier else "")
    rows = {r.month: r for r in m.rows if not tier or r.key == tier}
    retention = retention_by_month(user=user, period=period, tier=tier)
    months = []
    for first in period.month_starts:
        r = rows.get(first) or measures.Row(month=first)
        kept, scored = retention.get(first, (None, 0))
        months.append(
            BalancedMonth(
                month=first,
                csat_pct=r.satisfied_pct,
                completely_satisfied_pct=r.completely_satisfied_pct,
                csat_answers=r.csat_answers,
                nps=r.nps,
                nps_answers=r.nps_answers,
                retention_pct=kept,
                scored_customers=scored,
                handling_minutes=r.handling_minutes,
                calls=r.calls,
                fcr_pct=r.fcr_pct,
                sla_pct=r.sla_pct,
                resolved=r.resolved,
            )
        )
    targets = list(TierTarget.objects.all())
    return Balanced(
        period=period,
        tier=tier,
        months=months,
        target=next((t for t in targets if t.tier == tier), None) if tier else None,
        targets=targets,
        has_surveys=m.has_surveys,
        surveys_installed=m.surveys_installed,
        has_retention=bool(retention),
    )
