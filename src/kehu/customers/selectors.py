"""Reads for customer pages, API and exports. Every function starts from the permission
choke point (``visible_customers``) so no path can skip it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from kehu.core.permissions import Action, can, restrict, visible_customers
from kehu.customers import timeline
from kehu.customers.models import (
    Customer,
    Interaction,
    OwnerHistory,
    Relation,
)
from kehu.customers.search import parse_query
from kehu.customers.search_index import KeyScope, key_scope, ranked_search

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "-profit": ("-profit", "id"),
    "-clv": ("-clv", "id"),
    "grade": ("grade", "id"),
    "id": ("id",),
    "-id": ("-id",),
}
DEFAULT_SORT = "-id"
COST_SORTS = frozenset({"-profit", "-clv"})
COUNT_CAP = 10_000


@dataclass
class CustomerFilters:
    q: str = ""
    grade: str = ""
    tier: str = ""
    owner: int | None = None
    team: int | None = None
    status: str = ""
    loyalty: str = ""
    churn: str = ""
    city: str = ""
    tags: list[str] = field(default_factory=list)
    core: bool | None = None
    archived: bool = False


def search_refused(*, user: Any, q: str) -> bool:
    """Is ``q`` a phone or e-mail search the user's role may not make (masked roles)?"""
    return parse_query(q, personal=can(user, Action.SEARCH_PERSONAL_DATA)).refused


# A search ranks at most this many customers (more: the count says "200+" and the user
# narrows the query). Ranking every match of a broad query (上海: tens of thousands at a
# million customers) would cost more than the page: each ranked customer is looked up.
SEARCH_CAP = 200


def _apply_search(
    qs: QuerySet, q: str, *, personal: bool, scope: Callable[[], KeyScope | None] = lambda: None
) -> tuple[QuerySet, bool]:
    """``qs`` narrowed to what ``q`` finds, annotated with its tier (``search_rank``: 0
    exact, 1 prefix, 2 substring); False when there is no query. ``personal=False`` (roles
    that see personal data masked): name keys only. ``scope``: the user's KeyScope, asked
    only when there is a query (it costs a query)."""
    query = parse_query(q, personal=personal)
    if query.empty:
        return qs, False
    if query.refused:
        return qs.none(), False
    cap = min(SEARCH_CAP, COUNT_CAP)
    ranked = ranked_search(qs, query, cap=cap, scope=scope())
    rank = Case(
        *(When(id__in=ids, then=Value(n)) for n, ids in enumerate(ranked.tiers) if ids),
        default=Value(len(ranked.tiers)),
        output_field=IntegerField(),
    )
    qs = qs.filter(id__in=ranked.ids).annotate(search_rank=rank)
    # capped_count reads the search's cap from the query, which the callers' further
    # filters and orderings copy along: "200+", not the count of the ranked ids.
    qs.query.kehu_count_cap = cap  # type: ignore[attr-defined]
    return qs, True


def customer_list(*, user: Any, filters: CustomerFilters, sort: str = DEFAULT_SORT) -> QuerySet:
    """The customers ``user`` may see through ``filters``; with a search, the best matches
    first (exact, prefix, substring), then ``sort``."""
    qs = visible_customers(user, include_archived=filters.archived)
    if filters.archived:
        qs = qs.filter(is_archived=True)
    simple = {
        "grade": filters.grade,
        "tier": filters.tier,
        "owner_id": filters.owner,
        "team_id": filters.team,
        "lifecycle_status": filters.status,
        "loyalty_stage": filters.loyalty,
        "churn_type": filters.churn,
        "city": filters.city,
    }
    qs = qs.filter(**{k: v for k, v in simple.items() if v not in (None, "")})
    if filters.core is not None:
        qs = qs.filter(is_core=filters.core)
    for tag in filters.tags:
        qs = qs.filter(tags__name=tag)
    qs, searched = _apply_search(
        qs,
        filters.q,
        personal=can(user, Action.SEARCH_PERSONAL_DATA),
        scope=lambda: key_scope(user),
    )
    if sort in COST_SORTS and not can(user, Action.SEE_COST):
        sort = DEFAULT_SORT  # the order would tell what the figures are hidden for
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if searched:
        order = ("search_rank", *order)
    return qs.select_related("owner", "team").order_by(*order)


def capped_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """Count at most ``cap`` rows: an exact total on a million rows costs more than the page.
    A search's list carries its own, lower cap."""
    if cap is None:
        cap = getattr(qs.query, "kehu_count_cap", COUNT_CAP)
    n = qs.order_by().values("id")[: cap + 1].count()
    return min(n, cap), n > cap


def customer_timeline(
    *,
    customer: Customer,
    user: Any,
    cursor: str = "",
    limit: int = timeline.PAGE_SIZE,
    kinds: list[str] | None = None,
    channel: str = "",
    department: str = "",
) -> timeline.TimelinePage:
    """Every department's contacts with the customer on one line (A3), newest first, one
    page at a time back to the first record: one query per registered source per page."""
    return timeline.timeline_page(
        customer=customer,
        user=user,
        cursor=cursor,
        limit=limit,
        kinds=kinds,
        channel=channel,
        department=department,
    )


# The 360 page's record tabs: the customer's reverse relation and its newest-first order.
RECORD_TABS = {
    "orders": ("orders", ("-ordered_on", "-id")),
    "invoices": ("invoices", ("-issued_on", "-id")),
    "payments": ("payments", ("-paid_on", "-id")),
}
RECORDS_PAGE = 20


def customer_records(
    *, customer: Customer, tab: str, offset: int = 0, limit: int = RECORDS_PAGE
) -> tuple[list[Any], bool]:
    """One page of the customer's orders, invoices or payments, newest first, and whether
    older ones follow. Read through the customer's reverse relations: customers does not
    import the sales models."""
    relation, order = RECORD_TABS[tab]
    qs = getattr(customer, relation).order_by(*order)
    if tab == "orders":
        qs = qs.select_related("campaign")
    elif tab == "payments":
        qs = qs.select_related("invoice")
    rows = list(qs[offset : offset + limit + 1])
    return rows[:limit], len(rows) > limit


@dataclass
class ContactSummary:
    last_contact: Interaction | None
    next_contact: Interaction | None

    @property
    def next_overdue(self) -> bool:
        due = self.next_contact.next_contact_on if self.next_contact else None
        return due is not None and due < timezone.localdate()


def customer_contact_summary(*, customer: Customer) -> ContactSummary:
    """The last logged contact, and the follow-up it (the newest contact) asked for: a later
    contact supersedes the earlier one's plan. One query."""
    last = (
        Interaction.objects.filter(customer=customer)
        .select_related("user")
        .order_by("-occurred_at", "-id")
        .first()
    )
    nxt = last if last is not None and last.next_contact_on else None
    return ContactSummary(last, nxt)


@dataclass
class Receivables:
    invoiced: Decimal
    paid: Decimal
    written_off: Decimal
    outstanding: Decimal
    overdue: Decimal
    late_invoices: int


def customer_receivables(*, customer: Customer, today: dt.date | None = None) -> Receivables:
    from kehu.sales.models import Invoice

    today = today or timezone.localdate()
    zero = Decimal("0")
    agg = Invoice.objects.filter(customer=customer).aggregate(
        invoiced=Sum("amount"), paid=Sum("paid_amount"), written_off=Sum("written_off")
    )
    invoiced = agg["invoiced"] or zero
    paid = agg["paid"] or zero
    written_off = agg["written_off"] or zero
    open_invoices = Invoice.objects.filter(customer=customer, paid_on__isnull=True)
    overdue = zero
    for inv in open_invoices.filter(due_on__lt=today).only("amount", "paid_amount", "written_off"):
        overdue += inv.outstanding
    late = Invoice.objects.filter(
        Q(paid_on__gt=F("due_on")) | Q(paid_on__isnull=True, due_on__lt=today),
        customer=customer,
    ).count()
    return Receivables(
        invoiced, paid, written_off, max(invoiced - paid - written_off, zero), overdue, late
    )


def customer_sales_summary(*, customer: Customer) -> dict[str, Any]:
    from kehu.sales.models import Order

    return (
        Order.objects.filter(customer=customer)
        .exclude(status="cancelled")
        .aggregate(orders=Count("id"), revenue=Sum("amount"), cost=Sum("cost"))
    )


def customer_relations(*, customer: Customer, user: Any) -> list[tuple[Relation, Customer, str]]:
    """Relations from both ends, each with the other customer and the label read from here.
    Customers the user may not see are left out."""
    visible = visible_customers(user).values("id")
    rows = []
    for r in Relation.objects.filter(
        from_customer=customer, to_customer__in=visible
    ).select_related("to_customer"):
        rows.append((r, r.to_customer, r.label_from(customer.pk)))
    for r in Relation.objects.filter(
        to_customer=customer, from_customer__in=visible
    ).select_related("from_customer"):
        rows.append((r, r.from_customer, r.label_from(customer.pk)))
    return rows


def customer_relation(*, customer: Customer, pk: int, user: Any, action: Action) -> Relation | None:
    """One relation of ``customer`` (either end) that ``user`` may do ``action`` to: both of
    its customers visible (``permissions.restrict``); None otherwise."""
    at_customer = Relation.objects.filter(Q(from_customer=customer) | Q(to_customer=customer))
    return restrict(at_customer, user, action).filter(pk=pk).first()


def customer_owner_history(*, customer: Customer) -> QuerySet:
    return OwnerHistory.objects.filter(customer=customer).select_related(
        "owner", "team", "changed_by"
    )


def customer_audit(*, customer: Customer, limit: int = 100) -> QuerySet:
    from kehu.core.models import AuditEvent
    from kehu.quality.selectors import history_customer_ids

    # Records merged into this one bring their history along while the merge stands.
    ids = history_customer_ids(customer.pk)
    return AuditEvent.objects.filter(customer_id__in=ids).select_related("user")[:limit]
