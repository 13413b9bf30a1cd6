"""Due reviews and contacts of development cards, as a source of the Today page's due list
(kehu.core.duelist) and of the review list page.

Bounded: each kind is one indexed query on (owner, is_active, next_*_on) with a limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
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


def due_cards(*, user: Any, today: dt.date, kind: str, scope: str = "mine", limit: int = 200):
    column, _label = KINDS[kind]
    return (
        cards_for(user, scope)
        .filter(**{f"{column}__lte": today})
        .select_related("lead", "customer", "owner")
        .order_by(column, "id")[:limit]
    )


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
