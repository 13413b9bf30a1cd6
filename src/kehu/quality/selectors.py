"""Reads for the data-quality pages: the review queue, merge history.

Every customer-bearing read starts from ``visible_customers``; a pair or a merge is shown
only when the user may see both of its customers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from kehu.core import permissions
from kehu.customers.models import Customer, Interaction
from kehu.quality.models import DuplicatePair, Merge


def history_customer_ids(customer_id: int) -> list[int]:
    """The customer plus every record merged into it (transitively, merges still standing):
    their audit events belong to its history."""
    ids = [customer_id]
    frontier = [customer_id]
    while frontier:
        found = list(
            Merge.objects.filter(keep_id__in=frontier, undone_at__isnull=True)
            .exclude(remove_id__in=ids)
            .values_list("remove_id", flat=True)
        )
        ids.extend(found)
        frontier = found
    return ids


def _both_visible(qs: QuerySet, user: Any, a: str, b: str, *, archived: bool = False) -> QuerySet:
    visible = permissions.visible_customers(user, include_archived=archived)
    return qs.filter(Exists(visible.filter(pk=OuterRef(a))), Exists(visible.filter(pk=OuterRef(b))))


def open_pairs(*, user: Any) -> QuerySet:
    """Open candidate pairs whose two customers the user sees (and neither merged away)."""
    qs = DuplicatePair.objects.filter(status=DuplicatePair.Status.OPEN)
    return _both_visible(qs, user, "customer_a_id", "customer_b_id").order_by("-probability", "id")


def visible_pair(*, user: Any, pk: int) -> DuplicatePair | None:
    qs = _both_visible(DuplicatePair.objects.filter(pk=pk), user, "customer_a_id", "customer_b_id")
    return qs.first()


def recent_merges(*, user: Any, limit: int = 20) -> QuerySet:
    qs = Merge.objects.select_related("keep", "remove", "merged_by", "undone_by")
    qs = _both_visible(qs, user, "keep_id", "remove_id", archived=True)
    return qs.order_by("-merged_at", "-id")[:limit]


def visible_merge(*, user: Any, pk: int) -> Merge | None:
    qs = _both_visible(Merge.objects.filter(pk=pk), user, "keep_id", "remove_id", archived=True)
    return qs.first()


def link_counts(customer_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Orders, interactions and tickets per customer, in three grouped queries."""
    from kehu.sales.models import Order
    from kehu.service.models import Ticket

    ids = sorted(set(customer_ids))
    counts: dict[int, dict[str, int]] = {
        pk: {"orders": 0, "interactions": 0, "tickets": 0} for pk in ids
    }
    if not ids:
        return counts
    for key, model in (("orders", Order), ("interactions", Interaction), ("tickets", Ticket)):
        rows = (
            model.objects.filter(customer_id__in=ids)
            .order_by()
            .values("customer_id")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["customer_id"]][key] = row["n"]
    return counts


def customers_by_id(ids: Iterable[int]) -> dict[int, Customer]:
    qs = Customer.objects.select_related("owner", "team").filter(pk__in=set(ids))
    return {c.pk: c for c in qs}
