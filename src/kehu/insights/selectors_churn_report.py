"""Reads of the churn report (issue #10: C3, C5, C6): churn rate over the runs, complete vs
partial churn, the risk distribution, top reasons by segment, backtest accuracy, and cohort
retention with repeat rate. Over the customers the user sees (``visible_customers``), narrowed
by the value report's filters (team, region, RFM segment of the current run): a handful of
grouped queries in the database, the same number at any size."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Floor, Least
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions
from kehu.customers.models import Customer
from kehu.insights import churn_rollup, cohort_rollup, selectors
from kehu.insights.models import (
    RFM_SEGMENTS,
    AnalyticsConfig,
    AnalyticsRun,
    ChurnBacktest,
    ChurnModel,
    CustomerScore,
)
from kehu.insights.selectors_churn import AT_RISK_BANDS, REASON_LABELS, REASONS_KEPT, TREND_RUNS

BINS = 10
REASONS_SHOWN = 6
COHORT_MONTHS = cohort_rollup.COHORT_MONTHS


def _report_scores(*, user: Any, filters: Any) -> QuerySet:
    return selectors._scores(customers=permissions.visible_customers(user), filters=filters)


def churn_trend(*, user: Any, filters: Any, limit: int = TREND_RUNS) -> list[dict[str, Any]]:
    """Per run (oldest first): customers, complete and partial churners and their rates,
    risk bands, mean churn probability and value at risk. Runs whose scores were pruned are
    left out."""
    runs = list(
        AnalyticsRun.objects.filter(status=AnalyticsRun.Status.SUCCEEDED)
        .order_by("-as_of", "-finished_at", "-id")
        .values_list("pk", "as_of")[:limit]
    )
    if not runs:
        return []
    # Runs with a rollup are read from it when the user's view is expressible there; the
    # others (older runs, or every run for a partner) from the scores.
    where = churn_rollup.scope(user=user)
    rolled = set() if where is None else churn_rollup.built_runs([pk for pk, _a in runs])
    rows: dict[int, dict[str, Any]] = {}
    if rolled and where is not None:
        for pk, row in churn_rollup.trend_rows(
            where=where, filters=filters, run_ids=sorted(rolled)
        ).items():
            sums = row.pop("sum_probability")
            rows[pk] = {k: (v or 0) for k, v in row.items() if k != "sum_at_risk"}
            rows[pk]["run"] = pk
            rows[pk]["sum_at_risk"] = row["sum_at_risk"]
            rows[pk]["avg_probability"] = sums / row["n_scored"] if row["n_scored"] else None
    live = [pk for pk, _a in runs if pk not in rolled]
    if not live:
        return _trend_out(runs, rows)
    rows |= {
        row["run"]: row
        for row in _report_scores(user=user, filters=filters)
        .filter(run__in=live)
        .values("run")
        .annotate(
            n=Count("id"),
            n_complete=Count("id", filter=Q(churn_type=Customer.ChurnType.COMPLETE)),
            n_partial=Count("id", filter=Q(churn_type=Customer.ChurnType.PARTIAL)),
            n_scored=Count("churn_probability"),
            n_high=Count("id", filter=Q(churn_band=Customer.RiskBand.HIGH)),
            n_medium=Count("id", filter=Q(churn_band=Customer.RiskBand.MEDIUM)),
            avg_probability=Avg("churn_probability"),
            sum_at_risk=Sum("value_at_risk"),
        )
        .order_by()
    }
    return _trend_out(runs, rows)


def _trend_out(runs: list[tuple[int, Any]], rows: dict[int, dict[str, Any]]) -> list[dict]:
    out = []
    for pk, as_of in reversed(runs):
        row = rows.get(pk)
        if row is None or not row["n"]:
            continue
        n = row["n"]
        out.append(
            {
                "as_of": as_of.isoformat(),
                "customers": n,
                "complete": row["n_complete"],
                "partial": row["n_partial"],
                "complete_pct": round(100 * row["n_complete"] / n, 2),
                "partial_pct": round(100 * row["n_partial"] / n, 2),
                "scored": row["n_scored"],
                "high": row["n_high"],
                "medium": row["n_medium"],
                "avg_probability_pct": (
                    None
                    if row["avg_probability"] is None
                    else round(100 * row["avg_probability"], 2)
                ),
                "value_at_risk": round(row["sum_at_risk"] or 0.0, 2),
            }
        )
    return out


def risk_distribution(*, user: Any, run: AnalyticsRun, filters: Any) -> dict[str, Any]:
    """The current run's churn probabilities in tenths, and customers and value at risk per
    band."""
    where = churn_rollup.scope(user=user)
    if where is not None and churn_rollup.built_runs([run.pk]):
        bins, bands = churn_rollup.distribution(where=where, filters=filters, run=run)
    else:
        bins, bands = _live_distribution(user=user, run=run, filters=filters)
    # The band cut-offs colour the bars: the settings' (read, never created, on a GET).
    cuts = AnalyticsConfig.objects.filter(pk=1).values("churn_band_medium", "churn_band_high")
    config = cuts.first() or {"churn_band_medium": 0.25, "churn_band_high": 0.5}
    return {
        "medium_from": config["churn_band_medium"],
        "high_from": config["churn_band_high"],
        "labels": [f"{10 * i}–{10 * (i + 1)}%" for i in range(BINS)],
        "counts": bins,
        "bands": [
            {
                "band": str(band),
                "label": str(label),
                "count": bands.get(str(band), {}).get("n", 0),
                "value_at_risk": round(bands.get(str(band), {}).get("at_risk") or 0.0, 2),
            }
            for band, label in Customer.RiskBand.choices
        ],
    }


def _live_distribution(*, user: Any, run: AnalyticsRun, filters: Any) -> tuple[list[int], dict]:
    scores = _report_scores(user=user, filters=filters).filter(
        run=run, churn_probability__isnull=False
    )
    bins = [0] * BINS
    tenth = Least(Cast(Floor(F("churn_probability") * BINS), IntegerField()), BINS - 1)
    for row in scores.values(bin=tenth).annotate(n=Count("id")).order_by():
        bins[max(0, min(BINS - 1, int(row["bin"])))] += row["n"]
    bands = {
        row["churn_band"]: row
        for row in scores.values("churn_band")
        .annotate(n=Count("id"), at_risk=Sum("value_at_risk"))
        .order_by()
    }
    return bins, bands


def reasons_by_segment(*, user: Any, run: AnalyticsRun, filters: Any) -> dict[str, Any]:
    """How often each reason is among a customer's top three, per RFM segment, over the
    customers at medium or high risk (the ones the reasons are about). Three grouped queries
    (one per rank), read from the JSON on both databases."""
    where = churn_rollup.scope(user=user)
    if where is not None and churn_rollup.built_runs([run.pk]):
        counts = churn_rollup.reason_counts(where=where, filters=filters, run=run)
    else:
        counts = _live_reason_counts(user=user, run=run, filters=filters)
    return _reasons_out(counts)


def _live_reason_counts(*, user: Any, run: AnalyticsRun, filters: Any) -> dict:
    scores = _report_scores(user=user, filters=filters).filter(
        run=run, churn_band__in=list(AT_RISK_BANDS)
    )
    counts: dict[tuple[str, str], int] = {}
    for rank in range(REASONS_KEPT):
        rows = (
            scores.annotate(code=KT(f"churn_reasons__{rank}__code"))
            .exclude(code__isnull=True)
            .values("rfm_segment", "code")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            key = (row["rfm_segment"] or "", str(row["code"]))
            counts[key] = counts.get(key, 0) + row["n"]
    return counts


def _reasons_out(counts: dict[tuple[str, str], int]) -> dict[str, Any]:
    totals: dict[str, int] = {}
    for (_segment, code), n in counts.items():
        totals[code] = totals.get(code, 0) + n
    codes = sorted(totals, key=lambda c: (-totals[c], c))[:REASONS_SHOWN]
    segments = [s for s in [*RFM_SEGMENTS, ""] if any(k[0] == s for k in counts)]
    segment_labels = [str(RFM_SEGMENTS.get(s, _("No segment"))) for s in segments]
    cells = [[counts.get((s, c), 0) for c in codes] for s in segments]
    return {
        "rows": [[label, row] for label, row in zip(segment_labels, cells, strict=True)],
        "codes": codes,
        "code_labels": [str(REASON_LABELS.get(c, c)) for c in codes],
        "segments": segments,
        "segment_labels": segment_labels,
        "cells": cells,
        "totals": [totals[c] for c in codes],
    }


def backtests() -> list[dict[str, Any]]:
    """The live model of each kind (else the latest fitted one) with its held-out figures
    and its backtest months, oldest first. Models are not customer data: no visibility
    narrowing (they are fitted on everyone)."""
    chosen = []
    for kind in ChurnModel.objects.values_list("kind", flat=True).distinct().order_by("kind"):
        model = (
            ChurnModel.objects.filter(kind=kind, status=ChurnModel.Status.LIVE).first()
            or ChurnModel.objects.filter(kind=kind)
            .exclude(status=ChurnModel.Status.REFUSED)
            .first()
        )
        if model is not None:
            chosen.append(model)
    months: dict[int, list[ChurnBacktest]] = {m.pk: [] for m in chosen}
    for month in ChurnBacktest.objects.filter(model__in=chosen).order_by("month_end"):
        months[month.model_id].append(month)
    return [
        {
            "model": m,
            "kind": m.kind,
            "label": str(m.get_kind_display()),
            "metrics": m.metrics or {},
            "months": [
                {
                    "month_end": b.month_end.isoformat(),
                    "customers": b.customers,
                    "churn_rate": b.churn_rate,
                    "auc": None if b.auc is None else round(b.auc, 4),
                    "lift": None if b.lift_top_decile is None else round(b.lift_top_decile, 3),
                }
                for b in months[m.pk]
            ],
        }
        for m in chosen
    ]


def _month_index(day: Any) -> int:
    return cohort_rollup.month_index(day)


def cohorts(*, user: Any, filters: Any, as_of: Any, run: AnalyticsRun | None) -> dict[str, Any]:
    """Cohort retention and repeat rate (C6) over the customers ``user`` sees, narrowed by
    team, region and RFM segment (the current run's): for each first-purchase month of the
    last ``COHORT_MONTHS``, the share still buying N months later, and the share who bought
    at least twice. Completed orders up to ``as_of``: from the run's cohort rollup when the
    user's view is expressible there and ``as_of`` is the run's date, else one grouped pass
    over the visible customers' orders (kehu.insights.cohort_rollup)."""
    if filters.segment and run is None:
        return {}
    counts = None
    where = churn_rollup.scope(user=user) if run is not None and as_of == run.as_of else None
    if where is not None and run is not None:
        counts = cohort_rollup.read(where=where, filters=filters, run=run)
    if counts is None:
        counts = cohort_rollup.live(
            customers=_cohort_customers(user=user, filters=filters, run=run), as_of=as_of
        )
    active, repeat = counts
    months = sorted({c for c, _p in active} | set(repeat))
    if not months:
        return {}
    rows: list[dict[str, Any]] = []
    for c in months:
        size = active.get((c, 0), 0)
        for period in range(0, _month_index(as_of) - c + 1):
            share = None if not size else round(100 * active.get((c, period), 0) / size, 1)
            rows.append(
                {"cohort": _label(c), "period": period, "cohort_size": size, "share": share}
            )
    grid_out = selectors.cohort_grid(
        [dict(r, share=(r["share"] or 0) / 100) for r in rows if r["share"] is not None]
    )
    return {
        **grid_out,
        "repeat": [
            {
                "cohort": _label(c),
                "customers": repeat.get(c, (0, 0))[0],
                "repeat": repeat.get(c, (0, 0))[1],
                "repeat_pct": (
                    round(100 * repeat[c][1] / repeat[c][0], 1)
                    if repeat.get(c, (0, 0))[0]
                    else None
                ),
            }
            for c in months
        ],
    }


def _cohort_customers(*, user: Any, filters: Any, run: AnalyticsRun | None) -> QuerySet:
    customers = permissions.visible_customers(user)
    if filters.team:
        customers = customers.filter(team_id=filters.team)
    if filters.region:
        customers = customers.filter(
            Q(region_id=filters.region) | Q(region__isnull=True, team__region_id=filters.region)
        )
    if filters.segment:
        customers = customers.filter(
            Exists(
                CustomerScore.objects.filter(
                    run=run, customer=OuterRef("pk"), rfm_segment=filters.segment
                )
            )
        )
    return customers


def _label(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"
