"""Reads for the targets page (D6): per rep, team and company, the month's actual (month to
date) against its target, and the trend over the months before.

Actuals come from counts summed over people, never from averaged rates, so a team's
retention rate is its reps' customers kept over their customers:

- retention rate of the book: of the customers a rep owns who had bought before the month
  and had not left (or had come back) by its start, the share with no exit in the month;
- tasks done on time: of the retention, win-back and care tasks due in the month up to
  today (cancelled ones aside), the share done on or before their due date;
- customers won back: exits of the rep's customers found won back in the month;
- value at risk resolved: the value at risk of the tasks done as "saved" or "renewed" in the
  month.

A few grouped queries per month, whatever the number of people (no per-row queries)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum

from kehu.core import permissions
from kehu.core.models import Role, Team
from kehu.customers.models import Customer
from kehu.retention.models import ExitReason, Target, Task

METRICS = tuple(Target.Metric.values)
TASK_KINDS = (Task.Kind.RETENTION, Task.Kind.WIN_BACK, Task.Kind.CARE)
COUNTS = ("book", "left", "due", "on_time", "won_back", "resolved")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def _counts(rep_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict[str, float]]:
    """The raw counts behind the indicators, per rep, for the days start … end."""
    out: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0.0))
    if not rep_ids:
        return out
    gone = ExitReason.objects.filter(left_on__lt=start).filter(
        Q(won_back_on__isnull=True) | Q(won_back_on__gte=start)
    )
    book = (
        Customer.objects.filter(owner_id__in=rep_ids, is_archived=False, merged_into__isnull=True)
        .filter(orders__status="completed", orders__ordered_on__lt=start)
        .exclude(id__in=gone.values("customer_id"))
        .distinct()
    )
    for owner, n in (
        book.values("owner_id").annotate(n=Count("id", distinct=True)).values_list("owner_id", "n")
    ):
        out[owner]["book"] = n
    left = Customer.objects.filter(
        id__in=book.values("id"), exit_reasons__left_on__range=(start, end)
    )
    for owner, n in (
        left.values("owner_id").annotate(n=Count("id", distinct=True)).values_list("owner_id", "n")
    ):
        out[owner]["left"] = n
    tasks = (
        Task.objects.filter(assigned_to_id__in=rep_ids, kind__in=TASK_KINDS)
        .filter(due_on__range=(start, end))
        .exclude(status=Task.Status.CANCELLED)
    )
    on_time = Q(status=Task.Status.DONE, done_at__date__lte=F("due_on"))
    per_rep = tasks.values("assigned_to_id").annotate(n=Count("id"), ok=Count("id", filter=on_time))
    for rep, n, ok in per_rep.values_list("assigned_to_id", "n", "ok"):
        out[rep]["due"] = n
        out[rep]["on_time"] = ok
    won = ExitReason.objects.filter(owner_id_then__in=rep_ids, won_back_on__range=(start, end))
    per_owner = won.values("owner_id_then").annotate(n=Count("customer_id", distinct=True))
    for owner_then, n in per_owner.values_list("owner_id_then", "n"):
        out[int(owner_then or 0)]["won_back"] = n
    saved = Task.objects.filter(
        assigned_to_id__in=rep_ids,
        status=Task.Status.DONE,
        outcome__in=(Task.Outcome.SAVED, Task.Outcome.RENEWED),
        done_at__date__range=(start, end),
    )
    for rep, value in (
        saved.values("assigned_to_id")
        .annotate(v=Sum("priority"))
        .values_list("assigned_to_id", "v")
    ):
        out[rep]["resolved"] = float(value or 0)
    return out


def indicators(counts: dict[str, float]) -> dict[str, float | None]:
    """The four indicators from summed counts (None where there is nothing to measure)."""
    book, due = counts["book"], counts["due"]
    return {
        Target.Metric.RETENTION_RATE: (
            round(100 * (book - counts["left"]) / book, 1) if book else None
        ),
        Target.Metric.ON_TIME: round(100 * counts["on_time"] / due, 1) if due else None,
        Target.Metric.WON_BACK: counts["won_back"],
        Target.Metric.RESOLVED: round(counts["resolved"], 2),
    }


def _sum(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: sum(r[key] for r in rows) for key in COUNTS}


@dataclass
class Line:
    kind: str  # "all", "team" or "rep"
    key: str  # "all", "team:<id>", "user:<id>": what a target form names
    name: str
    team_id: int | None = None
    user_id: int | None = None
    actual: dict[str, float | None] = field(default_factory=dict)
    target: dict[str, Decimal | None] = field(default_factory=dict)

    def cells(self) -> list[tuple[str, float | None, Decimal | None, bool | None]]:
        """(indicator, actual, target, met) in the order of METRICS."""
        out = []
        for m in METRICS:
            actual, goal = self.actual.get(m), self.target.get(m)
            met = None if actual is None or goal is None else actual >= float(goal)
            out.append((m, actual, goal, met))
        return out


def scope(user: Any) -> tuple[list[Any], list[Team], bool]:
    """(reps, teams, company line?) that ``user`` sees on the targets page: administrators
    and analysts everyone, managers their teams, reps themselves."""
    role = permissions.role_of(user)
    User = get_user_model()
    reps = User.objects.filter(is_active=True, profile__role=Role.SALES).select_related("profile")
    if role in (Role.ADMIN, Role.ANALYST):
        return list(reps.order_by("username")), list(Team.objects.order_by("name")), True
    if role == Role.MANAGER:
        team_ids = set(user.managed_teams.values_list("id", flat=True))
        if user.profile.team_id:
            team_ids.add(user.profile.team_id)
        teams = list(Team.objects.filter(id__in=team_ids).order_by("name"))
        return list(reps.filter(profile__team_id__in=team_ids).order_by("username")), teams, False
    if role == Role.SALES:
        return [user], [], False
    return [], [], False


def may_see(user: Any) -> bool:
    return permissions.role_of(user) in (Role.ADMIN, Role.ANALYST, Role.MANAGER, Role.SALES)


def board(*, user: Any, month: dt.date, today: dt.date) -> list[Line]:
    """The lines of the targets page for ``month``, month to date when it is this month."""
    reps, teams, company = scope(user)
    start, end = month_bounds(month)
    end = min(end, today)
    rep_ids = [r.pk for r in reps]
    counts = _counts(rep_ids, start, end) if start <= end else {}
    zero = dict.fromkeys(COUNTS, 0.0)
    goals: dict[tuple[int | None, int | None], dict[str, Decimal | None]] = defaultdict(dict)
    for t in Target.objects.filter(month=start):
        goals[(t.team_id, t.user_id)][t.metric] = t.value
    lines: list[Line] = []
    if company:
        lines.append(
            Line(
                "all",
                "all",
                "",
                actual=indicators(_sum([counts.get(i, zero) for i in rep_ids])),
                target=goals.get((None, None), {}),
            )
        )
    for team in teams:
        members = [r.pk for r in reps if r.profile.team_id == team.pk]
        lines.append(
            Line(
                "team",
                f"team:{team.pk}",
                team.name,
                team_id=team.pk,
                actual=indicators(_sum([counts.get(i, zero) for i in members])),
                target=goals.get((team.pk, None), {}),
            )
        )
    for rep in reps:
        lines.append(
            Line(
                "rep",
                f"user:{rep.pk}",
                rep.get_full_name() or rep.username,
                team_id=getattr(getattr(rep, "profile", None), "team_id", None),
                user_id=rep.pk,
                actual=indicators(counts.get(rep.pk, zero)),
                target=goals.get((None, rep.pk), {}),
            )
        )
    return lines


def trend(*, user: Any, line: Line, month: dt.date, today: dt.date, months: int = 6) -> dict:
    """Actual against target of one line over the months up to ``month`` (for the chart)."""
    reps, _teams, _company = scope(user)
    if line.kind == "rep":
        ids = [line.user_id] if line.user_id else []
    elif line.kind == "team":
        ids = [r.pk for r in reps if r.profile.team_id == line.team_id]
    else:
        ids = [r.pk for r in reps]
    firsts = []
    cursor = month.replace(day=1)
    for _i in range(months):
        firsts.append(cursor)
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    firsts.reverse()
    goals: dict[str, dict[dt.date, float]] = defaultdict(dict)
    mine = Target.objects.filter(month__in=firsts)
    # A rep's line carries their team for grouping; their targets name the rep alone.
    if line.kind == "team" and line.team_id is not None:
        mine = mine.filter(team=line.team_id, user__isnull=True)
    elif line.kind == "rep" and line.user_id is not None:
        mine = mine.filter(team__isnull=True, user=line.user_id)
    else:
        mine = mine.filter(team__isnull=True, user__isnull=True)
    for t in mine:
        goals[t.metric][t.month] = float(t.value)
    series: dict[str, Any] = {"months": [f"{m:%Y-%m}" for m in firsts]}
    actual: dict[str, list] = {m: [] for m in METRICS}
    for first in firsts:
        start, end = month_bounds(first)
        end = min(end, today)
        zero = dict.fromkeys(COUNTS, 0.0)
        counts = _counts(ids, start, end) if start <= end else {}
        values = indicators(_sum([counts.get(i, zero) for i in ids]))
        for m in METRICS:
            actual[m].append(values[m])
    series["actual"] = actual
    series["target"] = {m: [goals[m].get(f) for f in firsts] for m in METRICS}
    return series
