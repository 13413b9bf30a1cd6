"""Proactive suggestions (E9): whom to contact before they ask.

Four rules, each plain enough to say in one sentence on the page (``reason_text``):
- **service due**: the customer's last purchase of a product with a service interval
  (``Product.service_interval_days``) reaches it between ``DUE_BEHIND`` days ago and
  ``DUE_AHEAD`` days ahead;
- **payment failed**: a failed payment (``sales.PaymentFailure``) in the last ``RECENT_DAYS``
  days with no payment from the customer since;
- **fewer orders than usual**: measured against the customer's own year before: at least
  ``USUAL_MIN`` orders expected in the last ``WINDOW`` days at their usual rate, and at most
  ``DROP_SHARE`` of that placed (no model: a customer who buys monthly and stopped);
- **fault seen elsewhere**: at least ``PEERS_MIN`` other customers opened a fault ticket on a
  product in the last ``FAULT_WINDOW`` days; its buyers of the last year without such a
  ticket are proposed (at most ``PER_PRODUCT`` of them, highest value at risk first).

``compute(now)`` runs nightly (``compute_task``, self-rescheduling like the pool release) and
writes one ``ProactiveSuggestion`` per customer, kind and key; an existing one (open,
accepted or dismissed) is left alone, so a dismissal stands. Agents and owners accept one
(→ a ticket, or a call task on the owner's due list) or dismiss it with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from kehu.core import audit, permissions
from kehu.core.models import Role
from kehu.customers.models import Customer
from kehu.sales.models import Order, OrderLine, Payment, PaymentFailure, Product
from kehu.service.models import ProactiveSuggestion, Ticket

K = ProactiveSuggestion.Kind
S = ProactiveSuggestion.Status
LABEL = gettext_lazy("Proactive suggestion")

DUE_BEHIND, DUE_AHEAD = 30, 14
RECENT_DAYS = 14
WINDOW, BASELINE = 90, 365
USAGE_MIN, DROP_SHARE = 2.0, 0.25
FAULT_WINDOW, PEERS_MIN, PER_PRODUCT = 30, 2, 50
BOUGHT_WITHIN = 365
CHUNK = 2_000


@dataclass
class Candidate:
    customer_id: int
    kind: str
    key: str
    due_on: dt.date
    params: dict[str, Any] = field(default_factory=dict)
    amount: float = 0.0


def _iso(day: dt.date) -> str:
    return day.isoformat()


def service_due(today: dt.date) -> list[Candidate]:
    intervals: dict[int, int] = {
        pk: days or 0
        for pk, days in Product.objects.filter(service_interval_days__gt=0).values_list(
            "id", "service_interval_days"
        )
    }
    if not intervals:
        return []
    names = dict(Product.objects.filter(id__in=intervals).values_list("id", "name"))
    earliest = today - dt.timedelta(days=max(intervals.values()) + DUE_BEHIND)
    rows = (
        OrderLine.objects.filter(
            product_id__in=list(intervals),
            order__status=Order.Status.COMPLETED,
            order__ordered_on__gte=earliest,
            order__ordered_on__lte=today,
        )
        .values_list("order__customer_id", "product_id")
        .annotate(last=Max("order__ordered_on"))
    )
    out = []
    for customer_id, product_id, last in rows:
        days = intervals[product_id]
        due = last + dt.timedelta(days=days)
        if today - dt.timedelta(days=DUE_BEHIND) <= due <= today + dt.timedelta(days=DUE_AHEAD):
            params = {"product": names[product_id], "bought": _iso(last), "days": days,
                      "due": _iso(due)}  # fmt: skip
            out.append(Candidate(customer_id, K.SERVICE_DUE, f"{product_id}:{due}", due, params))
    return out


def payment_failed(today: dt.date) -> list[Candidate]:
    since = today - dt.timedelta(days=RECENT_DAYS)
    failures = list(
        PaymentFailure.objects.filter(failed_on__gte=since, failed_on__lte=today).values_list(
            "id", "customer_id", "failed_on", "amount", "reason"
        )
    )
    if not failures:
        return []
    paid: dict[int, dt.date] = dict(
        Payment.objects.filter(customer_id__in={f[1] for f in failures}, paid_on__gte=since)
        .values_list("customer_id")
        .annotate(last=Max("paid_on"))
    )
    out = []
    for pk, customer_id, failed_on, amount, reason in failures:
        if customer_id in paid and paid[customer_id] >= failed_on:
            continue  # paid since: nothing to chase
        params = {"amount": f"{amount:,.2f}", "failed": _iso(failed_on), "reason": reason}
        out.append(Candidate(customer_id, K.PAYMENT_FAILED, f"payment:{pk}", today, params,
                             float(amount)))  # fmt: skip
    return out


def usage_drop(today: dt.date) -> list[Candidate]:
    window_start = today - dt.timedelta(days=WINDOW)
    base_start = window_start - dt.timedelta(days=BASELINE)
    # At their usual rate the customer places USAGE_MIN orders per window when the year
    # before held this many: customers below that are too irregular to call a drop.
    base_min = int(USAGE_MIN * BASELINE / WINDOW)
    rows = (
        Order.objects.filter(
            status=Order.Status.COMPLETED, ordered_on__gt=base_start, ordered_on__lte=today
        )
        .values("customer_id")
        .annotate(
            recent=Count("id", filter=Q(ordered_on__gt=window_start)),
            base=Count("id", filter=Q(ordered_on__lte=window_start)),
        )
        .filter(base__gte=base_min)
        .values_list("customer_id", "recent", "base")
    )
    out = []
    for customer_id, recent, base in rows:
        usual = base * WINDOW / BASELINE
        if recent <= usual * DROP_SHARE:
            params = {"recent": recent, "window": WINDOW, "usual": f"{usual:.1f}"}
            out.append(Candidate(customer_id, K.USAGE_DROP, f"{today:%Y-%m}", today, params))
    return out


def peer_fault(now: dt.datetime) -> list[Candidate]:
    today = timezone.localdate(now)
    faults = list(
        Ticket.objects.filter(
            kind=Ticket.Kind.FAULT,
            product__isnull=False,
            opened_at__gte=now - dt.timedelta(days=FAULT_WINDOW),
            opened_at__lte=now,
        ).values_list("product_id", "customer_id")
    )
    reporters: dict[int, set[int]] = defaultdict(set)
    for product_id, customer_id in faults:
        reporters[product_id].add(customer_id)
    products = {p: c for p, c in reporters.items() if len(c) >= PEERS_MIN}
    if not products:
        return []
    names = dict(Product.objects.filter(id__in=products).values_list("id", "name"))
    out = []
    for product_id, seen in products.items():
        buyers = (
            OrderLine.objects.filter(
                product_id=product_id,
                order__status=Order.Status.COMPLETED,
                order__ordered_on__gte=today - dt.timedelta(days=BOUGHT_WITHIN),
                order__ordered_on__lte=today,
            )
            .exclude(order__customer_id__in=list(seen))
            .values_list("order__customer_id")
            .annotate(last=Max("order__ordered_on"), risk=Max("order__customer__value_at_risk"))
            .order_by("-risk", "order__customer_id")[:PER_PRODUCT]
        )
        for customer_id, last, _risk in buyers:
            params = {"peers": len(seen), "product": names[product_id], "window": FAULT_WINDOW,
                      "bought": _iso(last)}  # fmt: skip
            out.append(Candidate(customer_id, K.PEER_FAULT, f"{product_id}:{today:%Y-%m}",
                                 today, params))  # fmt: skip
    return out


def candidates(now: dt.datetime) -> list[Candidate]:
    today = timezone.localdate(now)
    return [*service_due(today), *payment_failed(today), *usage_drop(today), *peer_fault(now)]


@dataclass
class ComputeResult:
    created: dict[str, int]
    considered: int


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@transaction.atomic
def compute(*, now: dt.datetime | None = None) -> ComputeResult:
    """Write the suggestions of ``now`` (idempotent: one per customer, kind and key)."""
    now = now or timezone.now()
    found = candidates(now)
    created: Counter[str] = Counter()
    for chunk in _chunks(found, CHUNK):
        ids = {c.customer_id for c in chunk}
        customers = {
            pk: (owner, float(risk or 0))
            for pk, owner, risk in Customer.objects.filter(
                pk__in=ids, is_archived=False, merged_into__isnull=True
            ).values_list("id", "owner_id", "value_at_risk")
        }
        existing = set(
            ProactiveSuggestion.objects.filter(customer_id__in=ids).values_list(
                "customer_id", "kind", "key"
            )
        )
        rows = []
        for c in chunk:
            if c.customer_id not in customers or (c.customer_id, c.kind, c.key) in existing:
                continue
            existing.add((c.customer_id, c.kind, c.key))
            owner, risk = customers[c.customer_id]
            rows.append(
                ProactiveSuggestion(
                    customer_id=c.customer_id,
                    kind=c.kind,
                    key=c.key,
                    params=c.params,
                    due_on=c.due_on,
                    assigned_to_id=owner,
                    priority=max(risk, c.amount),
                )  # fmt: skip
            )
            created[c.kind] += 1
        # Bulk (no per-row audit): one summary event below says what the run added.
        ProactiveSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    if created:
        audit.record(action="create", model="service.proactivesuggestion",
                     object_id=_iso(timezone.localdate(now)), changes=dict(created),
                     summary=f"Proactive suggestions: {sum(created.values())} new")  # fmt: skip
    return ComputeResult(created=dict(created), considered=len(found))


# --- reading, with the visibility rule --------------------------------------------------


def suggestion_rule(user: Any, action: Any, suggestion: ProactiveSuggestion) -> bool:
    if permissions.is_loaded_for(suggestion, user):
        return True
    return permissions.can_see_customer(user, suggestion.customer_id)


def suggestions_allowed(qs: QuerySet, user: Any, action: Any) -> QuerySet:
    condition = permissions.visibility_filter(user)
    if condition is None:
        return qs.none()
    if not condition:
        return qs  # sees every customer: no join
    return qs.filter(customer__in=permissions.visible_customers(user).values("id"))


def register() -> None:
    permissions.register(ProactiveSuggestion, obj=suggestion_rule, queryset=suggestions_allowed)


def visible(user: Any) -> QuerySet:
    return permissions.restrict(ProactiveSuggestion.objects.all(), user, permissions.Action.VIEW)


def open_for(user: Any, *, mine: bool = False) -> QuerySet:
    """Open suggestions ``user`` may see; ``mine``: the customers they own (a rep's book)."""
    qs = visible(user).filter(status=S.OPEN, customer__is_archived=False)
    if mine:
        qs = qs.filter(assigned_to=user)
    return qs.select_related("customer").order_by("-priority", "due_on", "id")


def suggestion_for(user: Any, pk: int) -> ProactiveSuggestion | None:
    found = visible(user).select_related("customer").filter(pk=pk).first()
    return permissions.loaded_for(found, user) if found is not None else None


# --- deciding ---------------------------------------------------------------------------

ACCEPT_AS = ("ticket", "call")


def _open_locked(suggestion: ProactiveSuggestion) -> ProactiveSuggestion:
    locked = ProactiveSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != S.OPEN:
        raise ValidationError(_("This suggestion has already been decided."))
    return locked


@transaction.atomic
@audit.with_actor
def suggestion_accept(
    *, suggestion: ProactiveSuggestion, by: Any, as_: str, now: dt.datetime | None = None
) -> ProactiveSuggestion:
    """Act on it: a ticket (assigned to an agent who accepts it) or a call task due today on
    the owner's due list (the acceptor's when the customer has no owner)."""
    from kehu.retention.models import Task
    from kehu.service import services as ticket_services

    if as_ not in ACCEPT_AS:
        raise ValidationError({"as": _("Choose a ticket or a call.")})
    now = now or timezone.now()
    s = _open_locked(suggestion)
    customer = Customer.objects.get(pk=s.customer_id)
    title = f"{s.get_kind_display()}: {customer.name}"[:200]
    if as_ == "ticket":
        agent = permissions.role_of(by) == Role.SERVICE
        s.ticket = ticket_services.ticket_create(
            customer=customer, by=by, subject=title, now=now,
            kind=Ticket.Kind.FAULT if s.kind == K.PEER_FAULT else Ticket.Kind.REQUEST,
            description=s.reason(), assignee=by if agent else None,
        )  # fmt: skip
    else:
        s.task = Task.objects.create(
            customer=customer, kind=Task.Kind.FOLLOW_UP, title=title, notes=s.reason(),
            due_on=timezone.localdate(now), assigned_to=customer.owner or by,
            trigger=Task.Trigger.MANUAL, step_kind=Task.StepKind.CALL, priority=s.priority,
        )  # fmt: skip
    s.status, s.decided_at, s.decided_by = S.ACCEPTED, now, by
    s.save()
    return s


@transaction.atomic
@audit.with_actor
def suggestion_dismiss(
    *, suggestion: ProactiveSuggestion, by: Any, reason: str, now: dt.datetime | None = None
) -> ProactiveSuggestion:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the suggestion is dismissed.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("The reason is at most 200 characters.")})
    s = _open_locked(suggestion)
    s.status, s.decided_at, s.decided_by = S.DISMISSED, now or timezone.now(), by
    s.dismiss_reason = reason
    s.save()
    return s


# --- the nightly task -------------------------------------------------------------------

EVERY = dt.timedelta(days=1)


def schedule_next(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next run a day from now unless one waits (None on the immediate backend
    of tests, which cannot defer)."""
    backend = compute_task.get_backend()
    if not backend.supports_defer:
        return None
    if backend.__class__.__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        if DBTaskResult.objects.filter(task_path=compute_task.module_path, status="READY").exists():
            return None
    when = (now or timezone.now()) + EVERY
    compute_task.using(run_after=when).enqueue()
    return when


@task()
def compute_task() -> dict[str, int]:
    schedule_next()
    with audit.acting_as(None, "worker"):
        return compute().created


# --- the due list (kehu.core.duelist) ---------------------------------------------------


def due_source(*, user: Any, today: dt.date, scope: str, limit: int) -> list[Any]:
    """``mine``: open suggestions on the user's own customers due by today; ``team``: the
    overdue ones of the teams a manager manages."""
    from django.urls import reverse

    from kehu.core import duelist

    if permissions.role_of(user) is None:
        return []
    qs = visible(user).filter(status=S.OPEN, due_on__lte=today)
    if scope == "team":
        teams = list(user.managed_teams.values_list("id", flat=True))
        if not teams:
            return []
        qs = qs.filter(customer__team_id__in=teams, due_on__lt=today)
    else:
        qs = qs.filter(assigned_to=user)
    rows = qs.order_by("-priority", "due_on", "id").values_list(
        "id", "kind", "params", "due_on", "priority", "customer_id", "customer__name",
        "assigned_to__username",
    )[:limit]  # fmt: skip
    from kehu.service.models_proactive import reason_text

    kinds = dict(K.choices)
    url = reverse("service:proactive")
    return [
        duelist.DueItem(
            source="proactive",
            kind_label=str(kinds.get(kind, LABEL)),
            title=str(kinds.get(kind, LABEL)),
            due=due_on,
            url=f"{url}?customer={customer_id}",
            priority=priority,
            customer_id=customer_id,
            customer_name=name,
            assignee_name=assignee or "",
            detail=reason_text(kind, params),
        )  # fmt: skip
        for pk, kind, params, due_on, priority, customer_id, name, assignee in rows
    ]


def register_due_source() -> None:
    from kehu.core import duelist

    duelist.register("proactive", LABEL, due_source)
