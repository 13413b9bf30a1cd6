"""What a person has to do today: one list that several apps fill.

The rep's Today page shows retention tasks (retention/), due contacts by card cadence
(development/), next follow-ups set when an interaction was logged (customers/) and overdue
tickets (service/). Core cannot import those apps (they sit above it), so each registers a
*source* in its ``AppConfig.ready()``; the page asks :func:`due_items` and never imports them.

A source answers for one user and one day, for their own work (``scope="mine"``) or for the
teams they manage (``scope="team"``), and must return at most ``limit`` items with bounded
queries: the page promises p95 ≤ 100 ms for a rep with 5,000 customers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

Scope = Literal["mine", "team"]


@dataclass(frozen=True)
class DueItem:
    """One thing to do. ``priority`` sorts the list (higher first: value at risk, or the
    customer's value); ``done_url`` is where the two-click completion posts, if the item can be
    completed in place."""

    source: str
    kind_label: str
    title: str
    due: dt.date
    url: str
    priority: float = 0.0
    customer_id: int | None = None
    customer_name: str = ""
    assignee_name: str = ""
    done_url: str | None = None
    detail: str = ""

    def overdue_on(self, today: dt.date) -> bool:
        return self.due < today


Source = Callable[..., Iterable[DueItem]]
_SOURCES: dict[str, tuple[Any, Source]] = {}


def register(name: str, label: Any, source: Source) -> None:
    """Register ``source(user=..., today=..., scope=..., limit=...)`` under ``name``.
    Registering the same name again replaces it (``ready()`` may run twice in tests)."""
    _SOURCES[name] = (label, source)


def sources() -> dict[str, Any]:
    """Registered source names and their labels, for the page's filter."""
    return {name: label for name, (label, _source) in _SOURCES.items()}


def due_items(
    *,
    user: Any,
    today: dt.date,
    scope: Scope = "mine",
    only: Iterable[str] | None = None,
    limit: int = 200,
) -> list[DueItem]:
    """Every registered source's items due on or before ``today``, overdue first, then by
    priority (highest first) and due date; at most ``limit`` in all."""
    wanted = set(only) if only is not None else None
    items: list[DueItem] = []
    for name, (_label, source) in _SOURCES.items():
        if wanted is not None and name not in wanted:
            continue
        items.extend(source(user=user, today=today, scope=scope, limit=limit))
    items.sort(key=lambda i: (not i.overdue_on(today), -i.priority, i.due, i.title))
    return items[:limit]
