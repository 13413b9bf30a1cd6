"""Helpers every router shares: loading a customer through the permission choke point,
paging, and the small reference objects in responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kehu.core import permissions
from kehu.customers.models import Customer
from kehu.customers.selectors import capped_count


class ApiRequest(HttpRequest):
    """For type checkers only: ninja sets ``request.auth`` to the authenticated user."""

    auth: Any


def visible_customer(user: Any, pk: int, *, include_archived: bool = True) -> Customer:
    """The one way an endpoint loads a customer: 404 for what ``user`` may not see, whether
    it does not exist or belongs to someone else, so existence is never revealed."""
    qs = permissions.visible_customers(user, include_archived=include_archived)
    customer = qs.select_related("owner", "team", "partner").filter(pk=pk).first()
    if customer is None:
        raise Http404
    return permissions.loaded_for(customer, user)


def visible_customer_ids(user: Any) -> QuerySet:
    """Visible customers (archived included: their history is still theirs) as a subquery."""
    return permissions.visible_customers(user, include_archived=True).values("id")


def require(allowed: bool) -> None:
    """403 for an action the caller's role may never do (it says nothing about a record)."""
    permissions.require(allowed)


def paginate(
    qs: QuerySet, *, limit: int, offset: int, render: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page plus a capped total: the extra row tells whether there is a next page without
    a second query, and counting stops at the cap so a million-row list stays cheap."""
    rows = list(qs[offset : offset + limit + 1])
    has_next = len(rows) > limit
    count, capped = capped_count(qs)
    return {
        "count": count,
        "count_is_capped": capped,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if has_next else None,
        "items": [render(row) for row in rows[:limit]],
    }


def user_ref(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.get_full_name() or ""}


def ref(obj: Any, attr: str = "name") -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(getattr(obj, attr))}
