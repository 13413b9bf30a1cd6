"""Post-purchase care (D5): follow-up tasks after a first or a large purchase.

The worker scans the orders completed since its last scan (the cursor on CarePolicy), so
sales never imports retention: nothing is called from the order's side. For each order that
qualifies, the customer's owner gets one task per configured step (confirm the choice, offer
training or information, check satisfaction), due the step's days after the order, or today
when the scan comes later than that. Each order's steps are raised once (the cursor moves on,
and the trigger key names the order and step)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.retention import bulk
from kehu.retention.models import CarePolicy, Task

DEFAULT_STEPS = [
    {"step": "confirm", "after_days": 2},
    {"step": "training", "after_days": 7},
    {"step": "satisfaction", "after_days": 30},
]
BATCH = 20_000


def load() -> CarePolicy:
    found = CarePolicy.objects.order_by("id").first()
    if found is not None:
        return found
    return CarePolicy.objects.create(steps=DEFAULT_STEPS)


def clean_steps(steps: Any) -> list[dict[str, Any]]:
    if not isinstance(steps, list) or not steps:
        raise ValidationError({"steps": _("Give at least one step.")})
    out = []
    for i, step in enumerate(steps, start=1):
        kind = step.get("step") if isinstance(step, dict) else None
        if kind not in CarePolicy.Step.values:
            raise ValidationError({"steps": _("Step %(n)d: unknown step.") % {"n": i}})
        days = step.get("after_days")
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
            raise ValidationError(
                {"steps": _("Step %(n)d: days after the order, 0 to 365.") % {"n": i}}
            )
        out.append({"step": kind, "after_days": days})
    return out


@transaction.atomic
@audit.with_actor
def care_configure(
    *,
    by: Any,
    enabled: bool = True,
    on_first: bool = True,
    large_amount: Decimal | None = None,
    steps: Any = None,
) -> CarePolicy:
    """Set post-purchase care: when it applies and its steps (audited)."""
    if large_amount is not None and large_amount <= 0:
        raise ValidationError({"large_amount": _("A large purchase is a positive amount.")})
    policy = load()
    policy.enabled = enabled
    policy.on_first = on_first
    policy.large_amount = large_amount
    policy.steps = clean_steps(DEFAULT_STEPS if steps is None else steps)
    policy.save()
    return policy


def _firsts(customer_ids: list[int]) -> dict[int, int]:
    """Each customer's first completed order id (earliest date, then lowest id)."""
    from kehu.sales.models import Order

    first: dict[int, tuple[dt.date, int]] = {}
    for cid, on, oid in Order.objects.filter(
        customer_id__in=customer_ids, status=Order.Status.COMPLETED
    ).values_list("customer_id", "ordered_on", "id"):
        if cid not in first or (on, oid) < first[cid]:
            first[cid] = (on, oid)
    return {cid: oid for cid, (_on, oid) in first.items()}


@transaction.atomic
@audit.with_actor
def care_scan(*, now: dt.datetime | None = None, by: Any = None) -> int:
    """Raise the care tasks of the orders completed since the last scan; returns how many."""
    from kehu.sales.models import Order

    now = now or timezone.now()
    today = timezone.localdate(now)
    policy = CarePolicy.objects.select_for_update().filter(pk=load().pk).get()
    orders = list(
        Order.objects.filter(id__gt=policy.last_order_id, status=Order.Status.COMPLETED)
        .filter(customer__is_archived=False, customer__merged_into__isnull=True)
        .order_by("id")
        .values_list("id", "customer_id", "ordered_on", "amount", "customer__owner_id")[:BATCH]
    )
    if not orders:
        return 0
    rows: list[dict[str, Any]] = []
    if policy.enabled:
        firsts = _firsts(sorted({o[1] for o in orders})) if policy.on_first else {}
        labels = dict(CarePolicy.Step.choices)
        with translation.override(settings.LANGUAGE_CODE):  # the site's language, not the worker's
            titles = {k: str(labels[k]) for k in labels}
        for oid, cid, on, amount, owner in orders:
            first = firsts.get(cid) == oid
            large = policy.large_amount is not None and amount >= policy.large_amount
            if not (first or large):
                continue
            for number, step in enumerate(policy.steps, start=1):
                rows.append(
                    {
                        "customer_id": cid,
                        "kind": Task.Kind.CARE.value,
                        "title": f"{titles[step['step']]} · {number}/{len(policy.steps)}",
                        "notes": f"order {oid}",
                        "due_on": max(today, on + dt.timedelta(days=step["after_days"])),
                        "assigned_to_id": owner,
                        "trigger": Task.Trigger.PURCHASE.value,
                        "trigger_key": f"care:{oid}:{number}",
                        "playbook": "care",
                        "step": number,
                        "step_kind": Task.StepKind.CALL.value,
                        "priority": float(amount),
                    }
                )
    created = bulk.insert(Task, rows)
    policy.last_order_id = orders[-1][0]
    policy.save()
    audit.record(
        action="create",
        model="retention.task",
        object_id=f"care:{policy.last_order_id}",
        changes={"created": created, "orders": len(orders)},
        summary=f"{created} post-purchase care tasks",
        user=by,
    )
    return created
