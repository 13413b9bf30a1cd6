"""The customer's timeline: one line of every department's contacts, paged back to the first.

Customers sit below sales, service and retention, so it cannot import their models. Each app
registers a *source* for its kind of entry in ``AppConfig.ready()`` (interactions here; orders
and payments in sales; tickets in service; tasks in retention) and the 360 page asks
:func:`timeline_page`, never the apps above it.

Paging merges the sources: the cursor holds how many entries of each kind the pages before
have shown, so each page costs one query per source (``limit + 1`` rows from that offset)
whatever the length of the history, and ties between sources cannot skip or repeat a row.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import BadRequest
from django.utils import timezone

from kehu.customers.models import Channel, Department, Interaction
from kehu.customers.rules import notes_shown

PAGE_SIZE = 30
# No customer's history reaches this many entries of one kind; a larger offset is a made-up link.
MAX_OFFSET = 10_000_000


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    who: str = ""
    channel: str = ""
    department: str = ""
    # Orders and payments carry a date, not a time of day.
    all_day: bool = False
    amount: Decimal | None = None
    # A logged contact may set when to contact the customer next, and why.
    next_contact_on: dt.date | None = None
    next_contact_purpose: str = ""
    label: str = field(default="", compare=False)


@dataclass(frozen=True)
class TimelineQuery:
    """What a source is asked for: ``limit`` entries of ``customer``, newest first, after
    skipping ``offset``; only those on ``channel`` / by ``department`` when these are set."""

    customer: Any
    user: Any
    offset: int
    limit: int
    channel: str = ""
    department: str = ""

    def excludes_department(self, department: str) -> bool:
        """For sources whose entries all belong to one department (orders: sales)."""
        return bool(self.department) and self.department != department


Fetch = Callable[[TimelineQuery], Iterable[TimelineEntry]]


@dataclass(frozen=True)
class Source:
    kind: str
    label: Any
    fetch: Fetch


_SOURCES: dict[str, Source] = {}


def register(kind: str, label: Any, fetch: Fetch) -> None:
    """Register ``fetch(query) -> entries`` for entries of ``kind`` (labelled ``label`` on the
    page and in the filter). Registering a kind again replaces it (``ready()`` may run twice)."""
    _SOURCES[kind] = Source(kind, label, fetch)


def kinds() -> list[tuple[str, str]]:
    """The registered kinds and their labels, for the timeline's filter."""
    return [(s.kind, str(s.label)) for s in _SOURCES.values()]


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None


def encode_cursor(offsets: dict[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(offsets, sort_keys=True).encode()).decode()


def decode_cursor(raw: str) -> dict[str, int]:
    """The offsets a "more" link carries; a link not made here is refused (400)."""
    if not raw:
        return {}
    try:
        offsets = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, TypeError):
        offsets = None
    if not isinstance(offsets, dict) or not all(
        isinstance(k, str) and type(v) is int and 0 <= v <= MAX_OFFSET for k, v in offsets.items()
    ):
        raise BadRequest("The page link is invalid.")
    return offsets


def timeline_page(
    *,
    customer: Any,
    user: Any,
    cursor: str = "",
    limit: int = PAGE_SIZE,
    kinds: Iterable[str] | None = None,
    channel: str = "",
    department: str = "",
) -> TimelinePage:
    """One page of the merged timeline, newest first, and the cursor of the next (None at
    the first record). One query per registered source."""
    offsets = decode_cursor(cursor)
    wanted = set(kinds) if kinds else None
    fetched: dict[str, list[TimelineEntry]] = {}
    for source in _SOURCES.values():
        if wanted is not None and source.kind not in wanted:
            continue
        query = TimelineQuery(
            customer=customer,
            user=user,
            offset=offsets.get(source.kind, 0),
            limit=limit + 1,
            channel=channel,
            department=department,
        )
        rows = list(source.fetch(query))
        for row in rows:
            row.kind = source.kind
            row.label = str(source.label)
        fetched[source.kind] = rows
    # A stable sort keeps each source's own order, so a page takes a prefix of each source.
    merged = sorted(
        (e for rows in fetched.values() for e in rows), key=lambda e: e.at, reverse=True
    )
    page = merged[:limit]
    shown: dict[str, int] = {}
    for entry in page:
        shown[entry.kind] = shown.get(entry.kind, 0) + 1
    more = len(merged) > limit
    next_offsets = {
        kind: offsets.get(kind, 0) + shown.get(kind, 0)
        for kind in fetched
        if offsets.get(kind, 0) + shown.get(kind, 0)
    }
    return TimelinePage(page, encode_cursor(next_offsets) if more else None)


def as_datetime(day: dt.date) -> dt.datetime:
    """Where an entry dated by day (an order) sits on the line: noon of that day, local."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def person_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user else ""


def interactions(query: TimelineQuery) -> list[TimelineEntry]:
    """Logged contacts. Notes are left out where the user may not read them (a partner
    user, another department's internal notes)."""
    qs = Interaction.objects.filter(customer=query.customer)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    if query.department:
        qs = qs.filter(department=query.department)
    rows = qs.select_related("user", "partner").order_by("-occurred_at", "-id")[
        query.offset : query.offset + query.limit
    ]
    entries = []
    for i in rows:
        who = person_name(i.user)
        if i.partner:
            who = f"{who} ({i.partner.name})" if who else i.partner.name
        entries.append(
            TimelineEntry(
                i.occurred_at,
                "interaction",
                i.subject,
                detail=i.notes if notes_shown(query.user, i) else "",
                who=who,
                channel=i.get_channel_display(),
                department=i.get_department_display(),
                next_contact_on=i.next_contact_on,
                next_contact_purpose=i.next_contact_purpose,
            )
        )
    return entries


def channel_choices() -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Channel.choices]


def department_choices() -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Department.choices]
