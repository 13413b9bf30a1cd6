"""Writes of the retention app: policy versions, not-worth-keeping flags, task generation with
control groups, completing a task with its outcome, exit reasons. Keyword-only, atomic,
audited, with an explicit actor ``by``; views, API, worker and demo call these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.customers import services as customer_services
from kehu.customers.models import Channel, Customer, Interaction
from kehu.retention import bulk, control, notices, policy, triggers
from kehu.retention.models import ControlAssignment, ExitReason, PolicyVersion, Task, WorthFlag

OPEN = Task.Status.OPEN
ANALYZE_AFTER = 10_000

# --- policy --------------------------------------------------------------------------------


def current_policy() -> PolicyVersion:
    """The version in force: the highest; the default is written as version 1 when there is
    none yet (a fresh installation follows the seed's rule from the first night)."""
    latest = PolicyVersion.objects.order_by("-number").first()
    if latest is not None:
        return latest
    return policy_save(
        playbooks=policy.DEFAULT_PLAYBOOKS,
        cells=policy.DEFAULT_CELLS,
        note="default policy",
        by=None,
    )


@transaction.atomic
@audit.with_actor
def policy_save(*, playbooks: Any, cells: Any, note: str = "", by: Any) -> PolicyVersion:
    """A new version of the policy (never an edit of the old one: tasks keep theirs)."""
    books, table = policy.clean_policy(playbooks, cells)
    # One writer at a time picks the next number; the unique column backs it up.
    top = PolicyVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
    return PolicyVersion.objects.create(
        number=top + 1,
        playbooks=books,
        cells=table,
        note=note.strip()[:300],
        created_by=by if getattr(by, "pk", None) else None,
    )


# --- not worth keeping ----------------------------------------------------------------------


@transaction.atomic
@audit.with_actor
def flag_customer(*, customer: Customer, reason: str, note: str = "", by: Any) -> WorthFlag:
    """Mark a customer not worth keeping; their open retention tasks are cancelled."""
    if reason not in WorthFlag.Reason.values:
        raise ValidationError({"reason": _("Unknown reason.")})
    if reason == WorthFlag.Reason.HARMS_STAFF and not note.strip():
        raise ValidationError({"note": _("Say what happened: a note is required.")})
    if WorthFlag.objects.filter(customer=customer, cleared_at__isnull=True).exists():
        raise ValidationError(_("This customer is already flagged."))
    flag = WorthFlag.objects.create(customer=customer, reason=reason, note=note, flagged_by=by)
    for task in Task.objects.filter(customer=customer, status=OPEN).exclude(trigger_key=""):
        task.status = Task.Status.CANCELLED
        task.notes = (task.notes + "\n" if task.notes else "") + str(flag.get_reason_display())
        task.save()
    return flag


@transaction.atomic
@audit.with_actor
def clear_flag(*, flag: WorthFlag, by: Any) -> WorthFlag:
    flag.cleared_at = timezone.now()
    flag.cleared_by = by
    flag.save()
    return flag


# --- control groups -------------------------------------------------------------------------


def stratum_of(tier: str, band: str) -> str:
    return f"{tier or '-'}|{band or '-'}"


def assign_controls(
    *,
    group: str,
    share: float,
    entering: list[tuple[int, str]],
    as_of: dt.date,
    seed: str = control.DEFAULT_SEED,
    policy_version: PolicyVersion | None = None,
) -> dict[int, bool]:
    """Record who of ``entering`` (customer id, stratum) is held back in ``group``; customers
    already assigned keep their assignment (it is returned, never rewritten)."""
    ids = [cid for cid, _s in entering]
    known: dict[int, bool] = {}
    for start in range(0, len(ids), 20_000):
        known.update(
            ControlAssignment.objects.filter(
                group=group, customer_id__in=ids[start : start + 20_000]
            ).values_list("customer_id", "is_control")
        )
    new = [(cid, stratum) for cid, stratum in entering if cid not in known]
    if new:
        held = {
            row["stratum"]: (row["n"], row["c"])
            for row in ControlAssignment.objects.filter(group=group)
            .values("stratum")
            .annotate(n=Count("id"), c=Count("id", filter=Q(is_control=True)))
        }
        decided = control.assign(seed=seed, group=group, share=share, entering=new, held=held)
        strata = dict(new)
        bulk.insert(
            ControlAssignment,
            (
                {
                    "group": group,
                    "customer_id": cid,
                    "stratum": strata[cid],
                    "is_control": is_control,
                    "share": share,
                    "seed": seed,
                    "assigned_on": as_of,
                    "policy_version_id": getattr(policy_version, "pk", None),
                }
                for cid, is_control in decided.items()
            ),
        )
        known.update(decided)
    return known


# --- task generation ------------------------------------------------------------------------


@dataclass
class Generated:
    policy_version: int
    candidates: int = 0
    created: int = 0
    held_back: int = 0
    flagged: int = 0
    not_pursued: int = 0
    already_open: int = 0
    by_trigger: dict[str, int] = field(default_factory=dict)


def _due(as_of: dt.date, step: dict[str, Any]) -> dt.date:
    return as_of + dt.timedelta(days=int(step.get("within_days", 0)))


def _step_title(book: dict[str, Any], number: int) -> str:
    # The playbook's name and the step's number; the step's kind is its own column, shown in
    # the reader's language (a title built with a translated label would keep the language
    # of whoever generated the task, the worker's).
    return f"{book['name']} · {number}/{len(book['steps'])}"[:200]


def _candidates(as_of: dt.date, fired: dict[int, tuple[str, str]]) -> list[tuple]:
    """(id, tier, band, owner, value at risk, trigger, detail) of every customer the policy
    looks at tonight: high and medium band, and whoever a trigger fired for."""
    base = Customer.objects.filter(is_archived=False, merged_into__isnull=True).exclude(
        lifecycle_status=Customer.Lifecycle.LOST
    )
    columns = ("id", "tier", "churn_band", "owner_id", "value_at_risk")
    rows = []
    seen: set[int] = set()
    banded = base.filter(churn_band__in=["high", "medium"]).values_list(*columns)
    for cid, tier, band, owner, var in banded.iterator(chunk_size=20_000):
        seen.add(cid)
        rows.append((cid, tier, band, owner, var, "band", band))
    extra = [cid for cid in fired if cid not in seen]
    for start in range(0, len(extra), 20_000):
        chunk = extra[start : start + 20_000]
        for cid, tier, _band, owner, var in base.filter(id__in=chunk).values_list(*columns):
            trigger, detail = fired[cid]
            rows.append((cid, tier, "medium", owner, var, trigger, detail))
    return rows


@transaction.atomic
@audit.with_actor
def generate_tasks(
    *, as_of: dt.date, by: Any, use_triggers: bool = True, seed: str = control.DEFAULT_SEED
) -> Generated:
    """Apply the policy in force to the nightly scores and the triggers: each customer it
    pursues enters the playbook (a control group is drawn once per playbook), and those not
    held back get the playbook's first step as a task, unless an open policy task is already
    theirs (running it twice creates nothing new)."""
    version = current_policy()
    result = Generated(policy_version=version.number)
    fired = triggers.fired(as_of) if use_triggers else {}
    rows = _candidates(as_of, fired)
    result.candidates = len(rows)
    flagged = set(
        WorthFlag.objects.filter(cleared_at__isnull=True).values_list("customer_id", flat=True)
    )
    busy = set(
        Task.objects.filter(status=OPEN)
        .exclude(trigger_key="")
        .values_list("customer_id", flat=True)
        .iterator(chunk_size=20_000)
    )
    by_book: dict[str, list[tuple]] = {}
    for row in rows:
        cid, tier, band = row[0], row[1], row[2]
        if cid in flagged:
            result.flagged += 1
            continue
        code = version.playbook_for(tier, band)
        if code is None or not policy.pursued(version.playbooks[code]):
            result.not_pursued += 1
            continue
        if cid in busy:
            result.already_open += 1
            continue
        by_book.setdefault(code, []).append(row)
    tasks: list[dict[str, Any]] = []
    for code, members in by_book.items():
        book = version.playbooks[code]
        assigned = assign_controls(
            group=f"playbook:{code}",
            share=float(book["control_share"]),
            entering=[(r[0], stratum_of(r[1], r[2])) for r in members],
            as_of=as_of,
            seed=seed,
            policy_version=version,
        )
        first = book["steps"][0]
        title, due = _step_title(book, 1), _due(as_of, first)
        budget = Decimal(str(first["budget"])) if "budget" in first else None
        for cid, _tier, _band, owner, var, trigger, detail in members:
            if assigned[cid]:
                result.held_back += 1
                continue
            result.by_trigger[trigger] = result.by_trigger.get(trigger, 0) + 1
            tasks.append(
                {
                    "customer_id": cid,
                    "kind": Task.Kind.RETENTION.value,
                    "title": title,
                    "notes": str(detail) if trigger != "band" else "",
                    "due_on": due,
                    "assigned_to_id": owner,
                    "trigger": trigger,
                    "trigger_key": f"{trigger}:{code}",
                    "playbook": code,
                    "step": 1,
                    "step_kind": first["kind"],
                    "budget": budget,
                    "policy_version_id": version.pk,
                    "priority": float(var or 0),
                }
            )
    bulk.insert(Task, tasks)
    notices.tell_new_tasks(t["assigned_to_id"] for t in tasks)  # one notice per owner
    if len(tasks) > ANALYZE_AFTER and connection.vendor == "postgresql":
        # The planner's statistics, or the Today page plans for an empty table until
        # autovacuum gets round to it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE retention_task")
    result.created = len(tasks)
    audit.record(
        action="create",
        model="retention.task",
        object_id=f"generate:{as_of.isoformat()}",
        changes={"created": result.created, "held_back": result.held_back},
        summary=f"{result.created} retention tasks from policy v{version.number}",
        user=by,
    )
    return result


@dataclass
class Entrant:
    customer_id: int
    stratum: str
    owner_id: int | None
    priority: float = 0.0


@transaction.atomic
@audit.with_actor
def enter_playbook(
    *,
    code: str,
    entrants: list[Entrant],
    as_of: dt.date,
    by: Any,
    trigger: str = Task.Trigger.MANUAL,
    seed: str = control.DEFAULT_SEED,
) -> dict[int, Task | None]:
    """Customers chosen by hand (or a past run replayed, the demo's history) enter the
    playbook ``code`` of the policy in force on ``as_of``: the control group is drawn and
    recorded as the nightly run does, and the treated get the first step as a task.
    Returns {customer id: their task, or None when held back}."""
    version = current_policy()
    book = version.playbooks.get(code)
    if book is None or not policy.pursued(book):
        raise ValidationError({"playbook": _("This playbook raises no tasks.")})
    assigned = assign_controls(
        group=f"playbook:{code}",
        share=float(book["control_share"]),
        entering=[(e.customer_id, e.stratum) for e in entrants],
        as_of=as_of,
        seed=seed,
        policy_version=version,
    )
    first = book["steps"][0]
    out: dict[int, Task | None] = {}
    for e in entrants:
        if assigned[e.customer_id]:
            out[e.customer_id] = None
            continue
        out[e.customer_id] = Task.objects.create(
            customer_id=e.customer_id,
            kind=Task.Kind.RETENTION,
            title=_step_title(book, 1),
            due_on=_due(as_of, first),
            assigned_to_id=e.owner_id,
            trigger=trigger,
            trigger_key=f"{trigger}:{code}",
            playbook=code,
            step=1,
            step_kind=first["kind"],
            budget=Decimal(str(first["budget"])) if "budget" in first else None,
            policy_version=version,
            priority=e.priority,
        )
    return out


# --- completing a task ----------------------------------------------------------------------

_INTERACTION_OUTCOME = {
    Task.Outcome.SAVED: Interaction.Outcome.RESOLVED,
    Task.Outcome.NOT_REACHED: Interaction.Outcome.NO_ANSWER,
    Task.Outcome.LEFT: Interaction.Outcome.DONE,
    Task.Outcome.RENEWED: Interaction.Outcome.RESOLVED,
}


@dataclass
class ExitInput:
    reason: str
    text: str = ""
    what_happened: str = ""
    what_we_change: str = ""
    # The tier when the customer left, where the caller knows it and the customer's own
    # field is not scored yet (history entered afterwards); default: the customer's tier.
    tier: str = ""


@transaction.atomic
@audit.with_actor
def complete_task(
    *,
    task: Task,
    outcome: str,
    by: Any,
    note: str = "",
    exit: ExitInput | None = None,
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Task:
    """Close a task with its outcome; the contact goes on the customer's timeline. Not
    reached: the playbook's next step becomes the next task. Left: the exit reason (required)
    is recorded. ``at``: when the contact happened (default now; the demo's history and
    contacts entered afterwards give it)."""
    if outcome not in Task.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == Task.Outcome.LEFT and exit is None:
        raise ValidationError({"reason": _("Choose why the customer left.")})
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != OPEN:
        raise ValidationError(_("This task is already closed."))
    at = at or timezone.now()
    today = today or timezone.localdate(at)
    kind = task.step_kind or Task.StepKind.CALL
    customer_services.interaction_log(
        customer=task.customer,
        by=by,
        channel=Channel.FIELD if kind == Task.StepKind.VISIT else Channel.PHONE,
        subject=f"{task.title} — {Task.Outcome(outcome).label}"[:200],
        notes=note,
        outcome=_INTERACTION_OUTCOME[Task.Outcome(outcome)],
        occurred_at=at,
    )
    task.status = Task.Status.DONE
    task.outcome = outcome
    task.done_at = at
    task.done_by = by
    if note:
        task.notes = (task.notes + "\n" if task.notes else "") + note
    task.save()
    if outcome == Task.Outcome.LEFT and exit is not None:
        record_exit(customer=task.customer, by=by, exit=exit, left_on=today, task=task)
    elif outcome == Task.Outcome.NOT_REACHED:
        _next_step(task, today)
    return task


def _next_step(task: Task, today: dt.date) -> Task | None:
    version = task.policy_version
    book = version.playbooks.get(task.playbook) if version is not None else None
    if book is None or task.step >= len(book["steps"]):
        return None
    step = book["steps"][task.step]
    return Task.objects.create(
        customer=task.customer,
        kind=task.kind,
        title=_step_title(book, task.step + 1),
        due_on=_due(today, step),
        assigned_to=task.assigned_to,
        trigger=task.trigger,
        trigger_key=task.trigger_key,
        playbook=task.playbook,
        step=task.step + 1,
        step_kind=step["kind"],
        budget=Decimal(str(step["budget"])) if "budget" in step else None,
        policy_version=version,
        priority=task.priority,
    )


@transaction.atomic
@audit.with_actor
def record_exit(
    *,
    customer: Customer,
    by: Any,
    exit: ExitInput,
    left_on: dt.date,
    task: Task | None = None,
) -> ExitReason:
    """Why a customer left, with the failure analysis (C4); their open retention tasks end."""
    if exit.reason not in ExitReason.Reason.values:
        raise ValidationError({"reason": _("Choose why the customer left.")})
    if exit.reason == ExitReason.Reason.OTHER and not exit.text.strip():
        raise ValidationError({"text": _("Say in a few words why ('other').")})
    record = ExitReason(
        customer=customer,
        reason=exit.reason,
        text=exit.text.strip(),
        what_happened=exit.what_happened.strip(),
        what_we_change=exit.what_we_change.strip(),
        left_on=left_on,
        task=task,
        recorded_by=by,
        tier=exit.tier or customer.tier,
        team_id_then=customer.team_id,
        region_id_then=customer.region_id,
        owner_id_then=customer.owner_id,
    )
    record.full_clean()
    record.save()
    for other in Task.objects.filter(customer=customer, status=OPEN, kind=Task.Kind.RETENTION):
        other.status = Task.Status.CANCELLED
        other.save()
    return record
