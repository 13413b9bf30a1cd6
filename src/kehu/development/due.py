"""Due reviews and contacts of development cards, as a source of the Today page's due list
(kehu.core.duelist) and of the review list page.

Bounded: each kind is one indexed query on (owner, is_active, next_*_on) with a limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
        teams = team_ids(user)
        return qs.filter(Q(team_id__in=teams) | Q(owner_id=user.pk))
    return qs.filter(owner_id=user.pk)


def due_cards(*, user: Any, today: dt.date, kind: str, scope: str = "mine", limit: int = 200):
    column, _label = KINDS[kind]
    return (
        cards_for(user, scope)
        .filter(**{f"{column}__lte": today})
        .select_related("lead", "customer", "owner")
        .order_by(column, "id")[:limit]
    )


def card_url(card: Card) -> str:
    if card.lead_id:
        return reverse("development:lead_detail", args=[card.lead_id])
    return reverse("development:customer_card", args=[card.customer_id])


def due_source(
    *, user: Any, today: dt.date, scope: str = "mine", limit: int = 200
) -> Iterable[DueItem]:
    items: list[DueItem] = []
    for kind, (column, label) in KINDS.items():
        for card in due_cards(user=user, today=today, kind=kind, scope=scope, limit=limit):
            done = "development:card_reviewed" if kind == "review" else "development:card_contacted"
            done_args = [card.pk] if kind == "review" else [card.pk, kind]
            items.append(
                DueItem(
                    source="development",
                    kind_label=str(label),
                    title=f"{card.number} {card.holder_name}",
                    due=getattr(card, column),
                    url=card_url(card),
                    priority=GRADE_PRIORITY.get(card.grade, 0.0),
                    customer_id=card.customer_id,
                    customer_name=card.holder_name,
                    assignee_name=card.owner.get_full_name() or card.owner.username
                    if card.owner
                    else "",
                    done_url=reverse(done, args=done_args),
                    detail=card.grade,
                )
            )
    return items
