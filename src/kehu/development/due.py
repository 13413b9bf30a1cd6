"""Due reviews and contacts of development cards, as a source of the Today page's due list
(kehu.core.duelist) and of the review list page.

Bounded: each kind is one indexed query on (owner, is_active, next_*_on) with a limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kehu.core.duelist import DueItem
from kehu.development.models import Card
from kehu.development.rules import team_ids

LABEL = _("Development cards")
KINDS = {
    "review": ("next_review_on", _("Card review")),
    "call": ("next_call_on", _("Call due")),
    "visit": ("next_visit_on", _("Visit due")),
}
GRADE_PRIORITY = {"A": 3.0, "B": 2.0, "C": 1.0}


def cards_for(user: Any, scope: str) -> QuerySet:
    """Active cards ``user`` works (mine) or whose teams they see (team)."""
    qs = Card.objects.filter(is_active=True)
    if scope == "team":
        # The teams' cards only (their own are in their team): an OR with the owner would
        # keep the planner off the (team, is_active, next_*) indexes.
        teams = team_ids(user)
        return qs.filter(team_id__in=teams) if teams else qs.filter(owner_id=user.pk)
    return qs.filter(owner_id=user.pk)


def _partitions(user: Any, scope: str) -> list[QuerySet]:
    """``cards_for`` split so that each part is one index range: a manager of several teams
    gets one query per team, each read in (due, id) order from its index and cut at the
    page size, instead of one query that sorts every due card of all the teams."""
    qs = Card.objects.filter(is_active=True)
    if scope == "team" and (teams := team_ids(user)):
        return [qs.filter(team_id=team) for team in teams]
    return [cards_for(user, scope)]


# What a due item shows: reading whole customer and lead rows for a name cost more than the
# query itself. The cards are for display only; nothing saves them.
_SHOWN = (
    *("number", "grade", "lead", "customer", "owner"),
    *(column for column, _label in KINDS.values()),
    *("lead__name", "customer__name"),
    *("owner__username", "owner__first_name", "owner__last_name"),
)


def _first_due(
    parts: list[QuerySet], column: str, today: dt.date, after: tuple[dt.date, int] | None, n: int
) -> list[Card]:
    rows: list[Card] = []
    for part in parts:
        qs = part.filter(**{f"{column}__lte": today})
        if after is not None:
            day, pk = after
            qs = qs.filter(Q(**{f"{column}__gt": day}) | Q(**{column: day, "id__gt": pk}))
        rows.extend(
            qs.select_related("lead", "customer", "owner").only(*_SHOWN).order_by(column, "id")[:n]
        )
    if len(parts) > 1:
        rows.sort(key=lambda card: (getattr(card, column), card.pk))
    return rows[:n]


def due_cards(
    *, user: Any, today: dt.date, kind: str, scope: str = "mine", limit: int = 200
) -> list[Card]:
    """The ``limit`` most overdue ``kind`` items due by ``today``."""
    column, _label = KINDS[kind]
    return _first_due(_partitions(user, scope), column, today, None, limit)


# Counted up to this many per kind: "1,000+" tells a rep as much as 4,217 would, and a
# manager's teams may have tens of thousands due, which a full count would scan.
COUNT_CAP = 1000


def due_count(*, user: Any, today: dt.date, kind: str, scope: str = "mine") -> int:
    """How many ``kind`` items are due by ``today``, at most ``COUNT_CAP + 1``."""
    column, _label = KINDS[kind]
    return cards_for(user, scope).filter(**{f"{column}__lte": today})[: COUNT_CAP + 1].count()


@dataclass(frozen=True)
class DuePage:
    cards: list[Card]
    # Where the next page starts ("YYYY-MM-DD.id" of the last card), or "" on the last page.
    next_after: str


def parse_after(raw: str) -> tuple[dt.date, int] | None:
    """The position encoded by ``DuePage.next_after``; None for blank or malformed input
    (a hand-edited URL starts again from the first page rather than failing)."""
    day, _dot, pk = raw.partition(".")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def due_page(
    *,
    user: Any,
    today: dt.date,
    kind: str,
    scope: str = "mine",
    after: tuple[dt.date, int] | None = None,
    size: int = 25,
) -> DuePage:
    """One page of ``kind`` items due by ``today``, most overdue first, continuing after
    ``after`` (keyset, so a card marked done meanwhile neither repeats nor hides another)."""
    column, _label = KINDS[kind]
    rows = _first_due(_partitions(user, scope), column, today, after, size + 1)
    if len(rows) <= size:
        return DuePage(rows, "")
    last = rows[size - 1]
    return DuePage(rows[:size], f"{getattr(last, column).isoformat()}.{last.pk}")


# URLs are reversed once per list with a stand-in id, then filled in per card: a page of
# 600 due items would otherwise spend much of its time in the URL resolver.
_ID = "2147483647"


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=[int(_ID), *args])


def card_url(card: Card, patterns: dict[str, str] | None = None) -> str:
    patterns = patterns or {
        "lead": _url("development:lead_detail"),
        "customer": _url("development:customer_card"),
    }
    if card.customer_id:
        return patterns["customer"].replace(_ID, str(card.customer_id))
    return patterns["lead"].replace(_ID, str(card.lead_id))


@dataclass(frozen=True)
class ReviewRow:
    """A due card as the review list shows it, its links already filled in."""

    pk: int
    number: str
    name: str
    url: str
    grade: str
    due: dt.date
    owner: str
    done_url: str


def review_rows(cards: list[Card], kind: str) -> list[ReviewRow]:
    column, _label = KINDS[kind]
    patterns = {
        "lead": _url("development:lead_detail"),
        "customer": _url("development:customer_card"),
    }
    done = (
        _url("development:card_reviewed")
        if kind == "review"
        else _url("development:card_contacted", kind)
    )
    return [
        ReviewRow(
            pk=card.pk,
            number=card.number,
            name=card.holder_name,
            url=card_url(card, patterns),
            grade=card.grade,
            due=getattr(card, column),
            owner=(card.owner.get_full_name() or card.owner.username) if card.owner else "—",
            done_url=done.replace(_ID, str(card.pk)),
        )
        for card in cards
    ]


def due_source(
    *, user: Any, today: dt.date, scope: str = "mine", limit: int = 200
) -> Iterable[DueItem]:
    patterns = {
        "lead": _url("development:lead_detail"),
        "customer": _url("development:customer_card"),
    }
    items: list[DueItem] = []
    for kind, (column, label) in KINDS.items():
        if kind == "review":
            done = _url("development:card_reviewed")
        else:
            done = _url("development:card_contacted", kind)
        kind_label = str(label)
        for card in due_cards(user=user, today=today, kind=kind, scope=scope, limit=limit):
            owner = card.owner
            items.append(
                DueItem(
                    source="development",
                    kind_label=kind_label,
                    title=f"{card.number} {card.holder_name}",
                    due=getattr(card, column),
                    url=card_url(card, patterns),
                    priority=GRADE_PRIORITY.get(card.grade, 0.0),
                    customer_id=card.customer_id,
                    customer_name=card.holder_name,
                    assignee_name=(owner.get_full_name() or owner.username) if owner else "",
                    done_url=done.replace(_ID, str(card.pk)),
                    detail=card.grade,
                )
            )
    return items


# --- touch tasks: visits, invitations, greetings ------------------------------------------

TOUCH_LABEL = _("Touches")


def touch_tasks_for(user: Any, scope: str) -> QuerySet:
    from kehu.development.models import TouchTask

    qs = TouchTask.objects.filter(status=TouchTask.Status.OPEN)
    if scope == "team":
        teams = team_ids(user)
        return qs.filter(team_id__in=teams) if teams else qs.filter(owner_id=user.pk)
    return qs.filter(owner_id=user.pk)


def touch_source(
    *, user: Any, today: dt.date, scope: str = "mine", limit: int = 200
) -> Iterable[DueItem]:
    """Open visits, invitations and greetings due by ``today`` (one indexed query)."""
    tasks = (
        touch_tasks_for(user, scope)
        .filter(due_on__lte=today)
        .select_related("customer", "lead", "owner")
        .order_by("due_on", "id")[:limit]
    )
    task_url = _url("development:touch_task")
    done_url = _url("development:touch_task_done")
    items = []
    for task in tasks:
        owner = task.owner
        items.append(
            DueItem(
                source="touches",
                kind_label=str(task.get_kind_display()),
                title=task.title,
                due=task.due_on,
                url=task_url.replace(_ID, str(task.pk)),
                priority=2.5 if task.kind == task.Kind.GREETING else 1.5,
                customer_id=task.customer_id,
                customer_name=task.holder_name,
                assignee_name=(owner.get_full_name() or owner.username) if owner else "",
                done_url=done_url.replace(_ID, str(task.pk)),
                detail=str(task.get_kind_display()),
            )
        )
    return items
