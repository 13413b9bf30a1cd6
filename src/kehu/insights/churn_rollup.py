"""Per-run rollups of the churn scores (issue #10 at 1,000,000 customers): the nightly run
counts its scores once (``build``), and the churn report reads those counts instead of
aggregating every score of the visible customers on each request.

The rollup answers only for users who see everyone or whole teams (``scope``) and only for
the report's filters (team, region, RFM segment); anyone else, and runs stored before the
rollup existed, get the live queries of ``selectors_churn_report``: the same numbers either
way (tests/insights/test_churn_rollup_matches_live.py).

Team, region and archiving are counted as they were at the run; a customer moved or archived
later is counted in its old place until the next run (the report is about that run)."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Floor, Least

from kehu.core import permissions
from kehu.core.models import Team
from kehu.customers.models import Customer
from kehu.insights.models import AnalyticsRun, ChurnRollup, CustomerScore
from kehu.insights.selectors_churn import AT_RISK_BANDS, REASONS_KEPT

BINS = 10


def build(run: AnalyticsRun) -> int:
    """Count ``run``'s scores into ChurnRollup rows (replacing any); returns the rows written.
    A handful of grouped queries, run inside the snapshot's transaction."""
    ChurnRollup.objects.filter(run=run).delete()
    scores = CustomerScore.objects.filter(run=run, customer__is_archived=False).annotate(
        t=F("customer__team_id"),
        r=Coalesce(F("customer__region_id"), F("customer__team__region_id")),
    )
    # NULL stays NULL (no probability, no bin): PostgreSQL's LEAST skips NULLs and would put
    # every unscored customer into the top tenth, where SQLite's gives NULL.
    tenth = Case(
        When(churn_probability__isnull=True, then=Value(None)),
        default=Least(Cast(Floor(F("churn_probability") * BINS), IntegerField()), BINS - 1),
        output_field=IntegerField(),
    )
    rows = [
        ChurnRollup(
            run=run,
            team_id=row["t"],
            region_id=row["r"],
            rfm_segment=row["rfm_segment"] or "",
            churn_type=row["churn_type"] or "",
            churn_band=row["churn_band"] or "",
            bin=None if row["b"] is None else max(0, min(BINS - 1, int(row["b"]))),
            n=row["n"],
            n_scored=row["n_scored"],
            sum_probability=row["sum_p"],
            sum_value_at_risk=row["sum_v"],
        )
        for row in scores.values("t", "r", "rfm_segment", "churn_type", "churn_band", b=tenth)
        .annotate(
            n=Count("id"),
            n_scored=Count("churn_probability"),
            sum_p=Sum("churn_probability"),
            sum_v=Sum("value_at_risk"),
        )
        .order_by()
    ]
    reasons: dict[tuple[Any, ...], int] = {}
    at_risk = scores.filter(churn_band__in=list(AT_RISK_BANDS))
    for rank in range(REASONS_KEPT):
        for row in (
            at_risk.annotate(code=KT(f"churn_reasons__{rank}__code"))
            .exclude(code__isnull=True)
            .values("t", "r", "rfm_segment", "churn_band", "code")
            .annotate(n=Count("id"))
            .order_by()
        ):
            key = (row["t"], row["r"], row["rfm_segment"] or "", row["churn_band"], row["code"])
            reasons[key] = reasons.get(key, 0) + row["n"]
    rows += [
        ChurnRollup(
            run=run,
            team_id=t,
            region_id=r,
            rfm_segment=segment,
            churn_band=band,
            reason=str(code),
            n=n,
        )
        for (t, r, segment, band, code), n in reasons.items()
    ]
    # Even a run without customers gets a row: its presence says "built" (see ``built_runs``).
    if not rows:
        rows = [ChurnRollup(run=run, n=0)]
    ChurnRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def built_runs(run_ids: list[int]) -> set[int]:
    """Which of ``run_ids`` have a rollup (runs stored before it existed have none)."""
    return set(
        ChurnRollup.objects.filter(run_id__in=run_ids)
        .values_list("run_id", flat=True)
        .distinct()
        .order_by()
    )


def scope(*, user: Any) -> Q | None:
    """The rollup rows ``user`` may count (a Q over ChurnRollup), or None when what the user
    sees is not whole teams (a partner, a portal user, a rep without a team, a manager who
    owns customers outside their teams): then the live queries answer."""
    condition = permissions.visibility_filter(user)
    if condition is None:
        return None
    if condition == Q():
        return Q()
    by_team = permissions.team_scope(user)
    if by_team is not None and by_team[0]:
        # "Owned or in these teams" (managers, reps): when the user owns nothing outside the
        # teams, what they see is those teams whole, found with index probes instead of
        # reading every visible customer (the report asks this once per chart).
        own_teams, user_id = by_team
        outside = Customer.objects.filter(owner_id=user_id, is_archived=False).exclude(
            team_id__in=own_teams
        )
        if not outside.exists():
            present = Team.objects.filter(pk__in=own_teams).filter(
                Exists(Customer.objects.filter(team_id=OuterRef("pk"), is_archived=False))
            )
            found = sorted(present.values_list("pk", flat=True))
            return Q(team_id__in=found) if found else None
    visible = permissions.visible_customers(user)
    teams = set(visible.values_list("team_id", flat=True).distinct().order_by())
    if not teams or None in teams:
        return None
    # Whole teams only: no customer of those teams hidden from the user.
    hidden = (
        Customer.objects.filter(team_id__in=teams, is_archived=False)
        .exclude(pk__in=visible.values("pk"))
        .exists()
    )
    if hidden:
        return None
    return Q(team_id__in=sorted(teams))


def narrowed(qs: QuerySet, filters: Any) -> QuerySet:
    """Rollup rows (churn or cohort: both carry team, region and RFM segment) narrowed by the
    report's filters."""
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.segment:
        qs = qs.filter(rfm_segment=filters.segment)
    return qs


def rows(*, where: Q, filters: Any) -> QuerySet:
    """The rollup rows within ``where`` (``scope``), narrowed by the report's filters."""
    return narrowed(ChurnRollup.objects.filter(where), filters)


def trend_rows(*, where: Q, filters: Any, run_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per run, the figures ``churn_trend`` reads from its live query, from the rollup."""
    main = rows(where=where, filters=filters).filter(run_id__in=run_ids, reason="")
    out: dict[int, dict[str, Any]] = {}
    for row in (
        main.values("run_id")
        .annotate(
            total=Sum("n"),
            n_complete=Sum("n", filter=Q(churn_type=Customer.ChurnType.COMPLETE)),
            n_partial=Sum("n", filter=Q(churn_type=Customer.ChurnType.PARTIAL)),
            scored=Sum("n_scored"),
            n_high=Sum("n", filter=Q(churn_band=Customer.RiskBand.HIGH)),
            n_medium=Sum("n", filter=Q(churn_band=Customer.RiskBand.MEDIUM)),
            probability=Sum("sum_probability"),
            at_risk=Sum("sum_value_at_risk"),
        )
        .order_by()
    ):
        out[row["run_id"]] = {
            "n": row["total"],
            "n_complete": row["n_complete"],
            "n_partial": row["n_partial"],
            "n_scored": row["scored"],
            "n_high": row["n_high"],
            "n_medium": row["n_medium"],
            "sum_probability": row["probability"],
            "sum_at_risk": row["at_risk"],
        }
    return out


def distribution(*, where: Q, filters: Any, run: AnalyticsRun) -> tuple[list[int], dict]:
    """The counts per tenth and, per band, customers and value at risk (scored ones only)."""
    scored = rows(where=where, filters=filters).filter(run=run, reason="", bin__isnull=False)
    bins = [0] * BINS
    for row in scored.values("bin").annotate(total=Sum("n")).order_by():
        bins[row["bin"]] += row["total"]
    bands = {
        row["churn_band"]: {"n": row["total"], "at_risk": row["at_risk"]}
        for row in scored.values("churn_band")
        .annotate(total=Sum("n"), at_risk=Sum("sum_value_at_risk"))
        .order_by()
    }
    return bins, bands


def reason_counts(*, where: Q, filters: Any, run: AnalyticsRun) -> dict[tuple[str, str], int]:
    """(segment, code) -> how often the code is among the top reasons of at-risk customers."""
    qs = (
        rows(where=where, filters=filters)
        .filter(run=run, churn_band__in=list(AT_RISK_BANDS))
        .exclude(reason="")
    )
    return {
        (row["rfm_segment"], row["reason"]): row["total"]
        for row in qs.values("rfm_segment", "reason").annotate(total=Sum("n")).order_by()
    }
