"""Reads of the insights app: the current snapshot, the value report, exports, and one
customer's value history. Every customer-level read goes through
``permissions.visible_customers`` (a manager sees their teams, a partner user nothing here)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum

from kehu.core import permissions
from kehu.customers.models import Customer
from kehu.insights import curve
from kehu.insights.models import AnalyticsRun, CustomerScore

TREND_RUNS = 12
LIST_ROWS = 20
COHORTS_SHOWN = 24

GRADES = [g for g, _label in Customer.Grade.choices]
TIERS = [t for t, _label in Customer.Tier.choices]


@dataclass(frozen=True)
class ReportFilters:
    team: int | None = None
    region: int | None = None
    segment: str = ""

    @property
    def active(self) -> bool:
        return bool(self.team or self.region or self.segment)

    def as_query(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (("team", self.team), ("region", self.region), ("segment", self.segment))
            if v
        }


# --------------------------------------------------------------------------- runs


def current_run() -> AnalyticsRun | None:
    """The snapshot the product shows: the succeeded run with the latest as-of date."""
    return (
        AnalyticsRun.objects.filter(status=AnalyticsRun.Status.SUCCEEDED)
        .order_by("-as_of", "-finished_at", "-id")
        .first()
    )


def last_attempt() -> AnalyticsRun | None:
    return AnalyticsRun.objects.order_by("-started_at", "-id").first()


def visible_scores(*, user: Any, run: AnalyticsRun, filters: ReportFilters) -> QuerySet:
    """``run``'s scores of the customers ``user`` may see, narrowed by ``filters``."""
    return _scores(customers=permissions.visible_customers(user), filters=filters).filter(run=run)


def _scores(*, customers: QuerySet, filters: ReportFilters) -> QuerySet:
    """Scores (of any run) of ``customers`` (already the visible ones), narrowed by filters."""
    if filters.team:
        customers = customers.filter(team_id=filters.team)
    if filters.region:
        # A customer's own region, or else its team's.
        customers = customers.filter(
            Q(region_id=filters.region) | Q(region__isnull=True, team__region_id=filters.region)
        )
    qs = CustomerScore.objects.filter(customer__in=customers.values("pk"))
    if filters.segment:
        qs = qs.filter(rfm_segment=filters.segment)
    return qs


# --------------------------------------------------------------------------- value report


@dataclass
class ValueReport:
    run: AnalyticsRun
    customers: int = 0
    ranked: int = 0
    revenue: float = 0.0
    profit: float = 0.0
    clv: float = 0.0
    headline: dict[str, Any] = field(default_factory=dict)
    whale: list[list[float]] = field(default_factory=list)
    pareto: dict[str, list] = field(default_factory=dict)
    grades: list[dict[str, Any]] = field(default_factory=list)
    tiers: list[dict[str, Any]] = field(default_factory=list)
    core_count: int = 0
    core: list[CustomerScore] = field(default_factory=list)
    loss_count: int = 0
    loss_total: float = 0.0
    losses: list[CustomerScore] = field(default_factory=list)
    cohorts: dict[str, Any] = field(default_factory=dict)
    trend: list[dict[str, Any]] = field(default_factory=list)

    def charts(self) -> dict[str, Any]:
        """Everything the ECharts code draws, embedded with json_script."""
        return {
            "whale": self.whale,
            "pareto": self.pareto,
            "grades": self.grades,
            "tiers": self.tiers,
            "cohorts": self.cohorts,
            "trend": self.trend,
        }


def value_report(*, user: Any, run: AnalyticsRun, filters: ReportFilters) -> ValueReport:
    """The value report over the customers ``user`` sees. The sums and the curve are computed
    by the database (curve.py): the same handful of queries for ten customers or a million."""
    visible = permissions.visible_customers(user)
    scores = _scores(customers=visible, filters=filters).filter(run=run)
    totals = curve.figures(scores)
    report = ValueReport(
        run=run,
        customers=totals["customers"],
        ranked=totals["ranked"],
        revenue=totals["revenue"],
        profit=totals["profit"],
        clv=totals["clv"],
        core_count=totals["core"],
        loss_count=totals["loss_count"],
        loss_total=totals["loss_total"],
        grades=_distribution(totals["grades"], GRADES),
        tiers=_distribution(totals["tiers"], TIERS),
    )
    if report.ranked:
        n, positive, total = report.ranked, totals["positive"], totals["ranked_profit"]
        points = curve.cumulative(scores.exclude(grade=""), n=n, positive=positive, total=total)
        report.whale, report.headline, report.pareto = curve.whale(
            points,
            n=n,
            positive=positive,
            total=total,
            loss_count=report.loss_count,
            loss_total=report.loss_total,
        )
    related = ("customer", "customer__team")
    report.losses = list(
        scores.filter(profit__lt=0)
        .select_related(*related)
        .order_by("profit", "customer_id")[:LIST_ROWS]
    )
    report.core = list(
        scores.filter(is_core=True)
        .select_related(*related)
        .order_by("-profit", "customer_id")[:LIST_ROWS]
    )
    report.cohorts = cohort_grid(run.cohorts)
    report.trend = trend(customers=visible, filters=filters)
    return report


def _distribution(table: dict[str, list], order: list[str]) -> list[dict[str, Any]]:
    """[{key, count, profit}] in display order, "no business" (key "") last."""
    return [
        {"key": key, "count": int(table[key][0]), "profit": round(table[key][1], 2)}
        for key in [*order, ""]
        if key in table and table[key][0]
    ]


def cohort_grid(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's cohort table as a heat map: the last ``COHORTS_SHOWN`` cohorts, periods 0…"""
    cohorts = sorted({r["cohort"] for r in rows})[-COHORTS_SHOWN:]
    if not cohorts:
        return {}
    index = {c: i for i, c in enumerate(cohorts)}
    periods = max(r["period"] for r in rows if r["cohort"] in index) + 1
    cells = [
        [r["period"], index[r["cohort"]], round(r["share"] * 100, 1)]
        for r in rows
        if r["cohort"] in index and r["share"] is not None and not math.isnan(r["share"])
    ]
    sizes = {r["cohort"]: r["cohort_size"] for r in rows if r["period"] == 0}
    return {
        "cohorts": cohorts,
        "periods": list(range(periods)),
        "cells": cells,
        "sizes": [sizes.get(c, 0) for c in cohorts],
    }


def trend(
    *, customers: QuerySet, filters: ReportFilters, limit: int = TREND_RUNS
) -> list[dict[str, Any]]:
    """Key figures of the last ``limit`` snapshots over the same visible (``customers``),
    filtered customers (runs whose scores were pruned are left out)."""
    runs = list(
        AnalyticsRun.objects.filter(status=AnalyticsRun.Status.SUCCEEDED)
        .order_by("-as_of", "-finished_at", "-id")
        .values_list("pk", "as_of")[:limit]
    )
    if not runs:
        return []
    figures = {
        row["run"]: row
        for row in _scores(customers=customers, filters=filters)
        .filter(run__in=[pk for pk, _as_of in runs])
        .values("run")
        .annotate(
            # Names unlike the fields': an aggregate named "profit" would shadow the field in
            # the losses filter (SQLite: "misuse of aggregate function SUM()").
            n_customers=Count("id"),
            sum_profit=Sum("profit"),
            sum_clv=Sum("clv"),
            avg_p_alive=Avg("p_alive"),
            n_core=Count("id", filter=Q(is_core=True)),
            n_grade_a=Count("id", filter=Q(grade="A")),
            n_losses=Count("id", filter=Q(profit__lt=0)),
        )
        .order_by()
    }
    out = []
    for pk, as_of in reversed(runs):
        row = figures.get(pk)
        if row is None:
            continue
        out.append(
            {
                "run": pk,
                "as_of": as_of.isoformat(),
                "customers": row["n_customers"],
                "profit": round(row["sum_profit"] or 0.0, 2),
                "clv": round(row["sum_clv"] or 0.0, 2),
                "p_alive": None if row["avg_p_alive"] is None else round(row["avg_p_alive"], 4),
                "core": row["n_core"],
                "grade_a": row["n_grade_a"],
                "losses": row["n_losses"],
            }
        )
    return out


# --------------------------------------------------------------------------- export

EXPORT_FIELDS = (
    ("customer_id", "customer id"),
    ("customer__name", "name"),
    ("customer__team__name", "team"),
    ("customer__region__name", "region"),
    ("grade", "grade"),
    ("tier", "tier"),
    ("is_core", "core"),
    ("revenue", "revenue"),
    ("cogs", "cost of goods"),
    ("cost_to_serve", "cost to serve"),
    ("bad_debt", "bad debt"),
    ("profit", "profit"),
    ("loss_reason", "loss reason"),
    ("rfm_r", "R"),
    ("rfm_f", "F"),
    ("rfm_m", "M"),
    ("rfm_segment", "RFM segment"),
    ("frequency", "repeat purchases"),
    ("p_alive", "P(active)"),
    ("expected_purchases", "expected purchases"),
    ("expected_spend", "expected spend"),
    ("clv", "CLV"),
    ("churn_type", "churn type"),
    ("lifecycle_status", "lifecycle status"),
    ("loyalty_stage", "loyalty stage"),
)


def export_rows(*, user: Any, run: AnalyticsRun, filters: ReportFilters) -> Iterator[tuple]:
    """The per-customer scores, best profit first, streamed in chunks."""
    qs = (
        visible_scores(user=user, run=run, filters=filters)
        .order_by("-profit", "customer_id")
        .values_list(*(name for name, _header in EXPORT_FIELDS))
    )
    return qs.iterator(chunk_size=2000)


# --------------------------------------------------------------------------- one customer


def customer_value_history(*, customer: Customer, limit: int = 8) -> list[CustomerScore]:
    """The customer's scores in the last ``limit`` snapshots, newest first, one per as-of date
    (a re-run of the same day replaces the earlier one). One query."""
    rows = (
        CustomerScore.objects.filter(customer=customer, run__status=AnalyticsRun.Status.SUCCEEDED)
        .select_related("run")
        .order_by("-run__as_of", "-run__finished_at", "-run_id")[: limit * 2]
    )
    history: list[CustomerScore] = []
    for score in rows:
        if not history or history[-1].run.as_of != score.run.as_of:
            history.append(score)
    return history[:limit]
