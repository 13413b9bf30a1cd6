"""Outcomes from behaviour, and win-back (D4): a worker job reads the orders.

- A customer who left (an exit reason) and buys again is **won back**: the date of the first
  order after leaving and the revenue since are recorded on the exit reason, and their open
  win-back tasks close as saved.
- Lost customers of high value (key, major) with no open win-back task enter the policy's
  win-back playbook (with its control group), if the policy has one.
- A customer the nightly analytics now calls **lost** (lifecycle status, from the purchases)
  has **left**: their open retention tasks close with that outcome, audited.
- A customer whose contract or plan was about to end (an open "contract ending" task, which
  keeps the end date the trigger saw) and whose end date has since moved later has **renewed**:
  the task closes with that outcome, audited. A task someone already closed is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from kehu.core import audit
from kehu.retention import bulk, policy
from kehu.retention.models import ExitReason, Task
from kehu.retention.services import (
    _due,
    _step_title,
    assign_controls,
    current_policy,
    stratum_of,
)

WIN_BACK_WINDOW = dt.timedelta(days=365)


@dataclass
class Outcomes:
    won_back: int = 0
    win_back_tasks: int = 0
    held_back: int = 0
    renewed: int = 0
    left: int = 0


@transaction.atomic
@audit.with_actor
def record_outcomes(*, as_of: dt.date, by: Any) -> Outcomes:
    from kehu.sales.models import Order

    result = Outcomes()
    open_exits = list(ExitReason.objects.filter(won_back_on__isnull=True, left_on__lte=as_of))
    by_customer: dict[int, ExitReason] = {}
    for record in sorted(open_exits, key=lambda r: r.left_on):
        by_customer[record.customer_id] = record  # the latest exit counts
    for customer_id, record in by_customer.items():
        bought = Order.objects.filter(
            customer_id=customer_id,
            status=Order.Status.COMPLETED,
            ordered_on__gt=record.left_on,
            ordered_on__lte=as_of,
        ).aggregate(first=Min("ordered_on"), revenue=Sum("amount"))
        if bought["first"] is None:
            continue
        record.won_back_on = bought["first"]
        record.revenue_regained = bought["revenue"] or Decimal(0)
        record.save()
        result.won_back += 1
        for task in Task.objects.filter(
            customer_id=customer_id, status=Task.Status.OPEN, kind=Task.Kind.WIN_BACK
        ):
            task.status = Task.Status.DONE
            task.outcome = Task.Outcome.SAVED
            task.done_at = timezone.now()
            task.save()
    _win_back_tasks(as_of=as_of, result=result, skip=set(by_customer) & _won(by_customer))
    result.renewed = _renewals()
    result.left = _left()
    return result


def _left() -> int:
    """Close as left the open retention tasks of customers the nightly analytics now calls
    lost (their lifecycle status, from their purchases): nobody has to say so by hand. No exit
    reason is made up for them; the owner can still record one on the customer's page."""
    from kehu.customers.models import Customer

    left = 0
    tasks = Task.objects.filter(
        status=Task.Status.OPEN,
        kind=Task.Kind.RETENTION,
        customer__lifecycle_status=Customer.Lifecycle.LOST,
    )
    for task in tasks:
        task.status = Task.Status.DONE
        task.outcome = Task.Outcome.LEFT
        task.done_at = timezone.now()
        task.save()  # audited (Task is an Audited model)
        left += 1
    return left


def _end_date(raw: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw or "")[:10])
    except ValueError:
        return None


def _renewals() -> int:
    """Close as renewed the open contract-ending tasks whose customer's ``contract_end`` now
    lies after the end the trigger saw (kept in the task's notes)."""
    renewed = 0
    tasks = Task.objects.filter(
        status=Task.Status.OPEN, trigger=Task.Trigger.CONTRACT_END
    ).select_related("customer")
    for task in tasks:
        seen = _end_date(task.notes)
        now_ends = _end_date((task.customer.attributes or {}).get("contract_end"))
        if seen is None or now_ends is None or now_ends <= seen:
            continue
        task.status = Task.Status.DONE
        task.outcome = Task.Outcome.RENEWED
        task.done_at = timezone.now()
        task.save()  # audited (Task is an Audited model)
        renewed += 1
    return renewed


def _won(by_customer: dict[int, ExitReason]) -> set[int]:
    return {cid for cid, r in by_customer.items() if r.won_back_on is not None}


def _win_back_tasks(*, as_of: dt.date, result: Outcomes, skip: set[int]) -> None:
    version = current_policy()
    book = version.playbooks.get(policy.WIN_BACK)
    if book is None or not policy.pursued(book):
        return
    lost = (
        ExitReason.objects.filter(
            won_back_on__isnull=True,
            tier__in=policy.WIN_BACK_TIERS,
            left_on__gte=as_of - WIN_BACK_WINDOW,
            left_on__lte=as_of,
        )
        .exclude(customer_id__in=skip)
        .select_related("customer")
        .order_by("customer_id", "-left_on")
    )
    busy = set(
        Task.objects.filter(kind=Task.Kind.WIN_BACK, status=Task.Status.OPEN).values_list(
            "customer_id", flat=True
        )
    )
    latest: dict[int, ExitReason] = {}
    for record in lost:
        if record.customer_id not in busy:
            latest.setdefault(record.customer_id, record)
    if not latest:
        return
    assigned = assign_controls(
        group=f"playbook:{policy.WIN_BACK}",
        share=float(book["control_share"]),
        entering=[(cid, stratum_of(r.tier, "lost")) for cid, r in latest.items()],
        as_of=as_of,
        policy_version=version,
    )
    first = book["steps"][0]
    rows = []
    for cid, record in latest.items():
        if assigned[cid]:
            result.held_back += 1
            continue
        rows.append(
            {
                "customer_id": cid,
                "kind": Task.Kind.WIN_BACK.value,
                "title": _step_title(book, 1),
                "notes": f"{record.get_reason_display()}: {record.text}"[:500],
                "due_on": _due(as_of, first),
                "assigned_to_id": record.customer.owner_id,
                "trigger": Task.Trigger.WIN_BACK.value,
                "trigger_key": f"win_back:{policy.WIN_BACK}",
                "playbook": policy.WIN_BACK,
                "step": 1,
                "step_kind": first["kind"],
                "budget": Decimal(str(first["budget"])) if "budget" in first else None,
                "policy_version_id": version.pk,
                "priority": float(record.customer.clv or record.customer.value_at_risk or 0),
            }
        )
    result.win_back_tasks = bulk.insert(Task, rows)
