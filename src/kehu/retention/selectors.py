"""Reads of the retention app, always through the visibility rule: results of a playbook
against its control group, the exit-reasons report, a customer's retention status."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from kehu.analytics.uplift import LiftError, welch
from kehu.core import permissions
from kehu.core.models import Region, Team
from kehu.customers.models import Customer
from kehu.retention.models import ControlAssignment, ExitReason, PolicyVersion, Task, WorthFlag

# --- results against control (D7) ------------------------------------------------------------


@dataclass
class Metric:
    key: str
    treated_mean: float
    control_mean: float
    lift: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None

    @property
    def includes_zero(self) -> bool:
        return self.ci_low is None or (self.ci_low <= 0 <= (self.ci_high or 0))


@dataclass
class Results:
    group: str
    name: str
    n_treated: int = 0
    n_control: int = 0
    metrics: dict[str, Metric] = field(default_factory=dict)
    offer_cost: float = 0.0
    customers_saved: float | None = None
    profit_saved: float | None = None
    error: str = ""

    def chart(self) -> dict[str, Any]:
        rows = [m for m in self.metrics.values()]
        return {
            "metrics": [m.key for m in rows],
            "treated": [round(m.treated_mean, 4) for m in rows],
            "control": [round(m.control_mean, 4) for m in rows],
            "lift": [None if m.lift is None else round(m.lift, 4) for m in rows],
            "ci_low": [None if m.ci_low is None else round(m.ci_low, 4) for m in rows],
            "ci_high": [None if m.ci_high is None else round(m.ci_high, 4) for m in rows],
        }


def playbook_names() -> dict[str, str]:
    """Every playbook code any version has named, with its latest name."""
    names: dict[str, str] = {}
    for version in PolicyVersion.objects.order_by("number"):
        for code, book in version.playbooks.items():
            names[code] = book.get("name", code)
    return names


def group_names(groups: list[str]) -> dict[str, str]:
    """The name of each control group: its playbook's, or its campaign's."""
    from kehu.sales.models import Campaign

    books = playbook_names()
    ids = [int(g.split(":", 1)[1]) for g in groups if g.startswith("campaign:")]
    campaigns = dict(Campaign.objects.filter(id__in=ids).values_list("id", "name"))
    out = {}
    for g in groups:
        kind, _sep, code = g.partition(":")
        if kind == "campaign" and code.isdigit():
            out[g] = campaigns.get(int(code), code)
        else:
            out[g] = books.get(code, code)
    return out


def groups(*, user: Any) -> list[tuple[str, str, int]]:
    """(group, name, customers) of the playbooks and campaigns with assignments the user sees."""
    rows = list(
        ControlAssignment.objects.filter(
            customer_id__in=permissions.visible_customers(user, include_archived=True).values("id")
        )
        .values("group")
        .annotate(n=Count("id"))
        .order_by("group")
        .values_list("group", "n")
    )
    names = group_names([group for group, _n in rows])
    return [(group, names[group], n) for group, n in rows]


def results(*, user: Any, group: str, until: dt.date | None = None) -> Results:
    """Retention, revenue and profit per customer in treated vs control since each
    customer's assignment, with the Welch lift and its 95 % interval (kehu.analytics.uplift);
    customers and profit saved net of the offers' cost. Over the customers the user sees."""
    from kehu.sales.models import Order

    code = group.split(":", 1)[-1]
    out = Results(group=group, name=group_names([group])[group])
    visible = permissions.visible_customers(user, include_archived=True).values("id")
    assigned = list(
        ControlAssignment.objects.filter(group=group, customer_id__in=visible).values_list(
            "customer_id", "is_control", "assigned_on"
        )
    )
    if not assigned:
        out.error = "none"
        return out
    since = {cid: on for cid, _c, on in assigned}
    ids = list(since)
    left = set()
    for cid, left_on in ExitReason.objects.filter(customer_id__in=ids).values_list(
        "customer_id", "left_on"
    ):
        if left_on >= since[cid]:
            left.add(cid)
    left |= set(
        Customer.objects.filter(id__in=ids, lifecycle_status=Customer.Lifecycle.LOST).values_list(
            "id", flat=True
        )
    )
    revenue: dict[int, float] = defaultdict(float)
    profit: dict[int, float] = defaultdict(float)
    orders = Order.objects.filter(customer_id__in=ids, status=Order.Status.COMPLETED)
    if until is not None:
        orders = orders.filter(ordered_on__lte=until)
    for cid, on, amount, cost in orders.values_list("customer_id", "ordered_on", "amount", "cost"):
        if on >= since[cid]:
            revenue[cid] += float(amount)
            profit[cid] += float(amount - cost)
    is_control = np.array([c for _cid, c, _on in assigned], dtype=bool)
    columns = {
        "retained": np.array([0.0 if cid in left else 1.0 for cid, _c, _o in assigned]),
        "revenue": np.array([revenue[cid] for cid, _c, _o in assigned]),
        "profit": np.array([profit[cid] for cid, _c, _o in assigned]),
    }
    out.n_treated, out.n_control = int((~is_control).sum()), int(is_control.sum())
    # Offers are a playbook's steps; a campaign's own cost is not recorded here.
    offers = Decimal(0)
    if group.startswith("playbook:"):
        offers = Task.objects.filter(
            playbook=code, customer_id__in=visible, status=Task.Status.DONE, step_kind="offer"
        ).aggregate(total=Sum("budget"))["total"] or Decimal(0)
    out.offer_cost = float(offers)
    for key, values in columns.items():
        treated, ctrl = values[~is_control], values[is_control]
        metric = Metric(
            key=key,
            treated_mean=float(treated.mean()) if len(treated) else 0.0,
            control_mean=float(ctrl.mean()) if len(ctrl) else 0.0,
        )
        try:
            metric.lift, metric.ci_low, metric.ci_high, metric.p_value = welch(treated, ctrl)
        except LiftError:
            out.error = "small"
        out.metrics[key] = metric
    retained, profit_m = out.metrics["retained"], out.metrics["profit"]
    if retained.lift is not None:
        out.customers_saved = retained.lift * out.n_treated
    if profit_m.lift is not None:
        out.profit_saved = profit_m.lift * out.n_treated - out.offer_cost
    return out


# --- exit reasons (C4) -----------------------------------------------------------------------

BY = {"tier": "tier", "region": "region_id_then", "owner": "owner_id_then", "team": "team_id_then"}


def exit_reasons(*, user: Any, by: str = "tier", since: dt.date | None = None) -> dict[str, Any]:
    """Counts of exit reasons by ``by`` (tier, region, owner, team) and by month, over the
    customers the user sees."""
    column = BY.get(by, "tier")
    qs = ExitReason.objects.filter(
        customer_id__in=permissions.visible_customers(user, include_archived=True).values("id")
    )
    if since is not None:
        qs = qs.filter(left_on__gte=since)
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for row in qs.values(column, "reason").annotate(n=Count("id")):
        table[str(row[column] or "")][row["reason"]] = row["n"]
    months: dict[str, dict[str, int]] = defaultdict(dict)
    for row in qs.annotate(m=TruncMonth("left_on")).values("m", "reason").annotate(n=Count("id")):
        months[row["m"].strftime("%Y-%m")][row["reason"]] = row["n"]
    return {
        "rows": dict(table),
        "labels": _labels(by, table.keys()),
        "months": dict(sorted(months.items())),
        "latest": list(qs.select_related("customer", "recorded_by")[:50]),
    }


def _labels(by: str, keys: Any) -> dict[str, str]:
    ids = [int(k) for k in keys if k.isdigit()]
    if by == "tier":
        return {k: str(Customer.Tier(k).label) if k in Customer.Tier.values else "—" for k in keys}
    if by == "region":
        names = dict(Region.objects.filter(id__in=ids).values_list("id", "name"))
    elif by == "team":
        names = dict(Team.objects.filter(id__in=ids).values_list("id", "name"))
    else:
        from django.contrib.auth import get_user_model

        names = dict(get_user_model().objects.filter(id__in=ids).values_list("id", "username"))
    return {k: names.get(int(k), "—") if k.isdigit() else "—" for k in keys}


# --- win-back (D4) ---------------------------------------------------------------------------


def win_back(*, user: Any, min_tier: tuple[str, ...] = ("key", "major")) -> list[dict[str, Any]]:
    """Lost customers of high value with their last exit reason and whether they came back."""
    visible = permissions.visible_customers(user, include_archived=True).values("id")
    latest: dict[int, ExitReason] = {}
    for record in (
        ExitReason.objects.filter(customer_id__in=visible, tier__in=min_tier)
        .select_related("customer")
        .order_by("customer_id", "-left_on", "-id")
    ):
        latest.setdefault(record.customer_id, record)
    return sorted(
        (
            {"record": r, "customer": r.customer, "won_back": r.won_back_on is not None}
            for r in latest.values()
        ),
        key=lambda row: (row["won_back"], -float(row["customer"].clv or 0)),
    )


# --- one customer ----------------------------------------------------------------------------


def customer_status(*, customer: Customer) -> dict[str, Any]:
    """The customer's retention status: flag (why no playbook), tasks, control groups, exits."""
    return {
        "flag": WorthFlag.objects.filter(customer=customer, cleared_at__isnull=True).first(),
        "tasks": list(
            Task.objects.filter(customer=customer)
            .select_related("assigned_to", "policy_version")
            .order_by("-created_at")[:20]
        ),
        "controls": list(ControlAssignment.objects.filter(customer=customer)),
        "exits": list(ExitReason.objects.filter(customer=customer)),
    }
