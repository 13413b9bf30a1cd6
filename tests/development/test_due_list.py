"""Due reviews, calls and visits of a rep's cards reach the Today page's due list
(kehu.core.duelist) and the review list; a manager sees their team's; done moves them on."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kehu.core import duelist
from kehu.development import services
from tests.conftest import login


def _mine(user, today):
    return [i for i in duelist.due_items(user=user, today=today, only=["development"])]


def test_rep_sees_own_cards_due(org, leads):
    card = leads.north.card
    today = card.next_call_on
    # The kind shows in the reader's language; its completion link names it plainly.
    calls = [i for i in _mine(org.alice, today) if i.done_url.endswith("/contacted/call/")]
    assert f"{card.number} 李娜" in [i.title for i in calls]
    assert not any(card.number in i.title for i in _mine(org.charlie, today))


def test_nothing_due_before_the_date(org, leads):
    card = leads.north.card
    day_before = min(card.next_review_on, card.next_call_on) - dt.timedelta(days=1)
    assert not [i for i in _mine(org.alice, day_before) if card.number in i.title]


def test_manager_team_scope(org, leads):
    today = leads.north.card.next_visit_on
    items = duelist.due_items(user=org.mia, today=today, scope="team", only=["development"])
    assert any(leads.north.card.number in i.title for i in items)
    assert not any(leads.south.card.number in i.title for i in items)


def test_review_done_moves_the_next_review(client, org, leads):
    card = services.card_regrade(card=leads.north.card, grade="B", reason="warm", by=org.mia)
    r = login(client, org.alice).post(reverse("development:card_reviewed", args=[card.pk]))
    assert r.status_code == 302
    card.refresh_from_db()
    assert card.last_reviewed_on is not None and card.next_review_on > card.last_reviewed_on


def test_review_list_page_shows_due_cards(client, org, leads, settings):
    services.card_regrade(card=leads.north.card, grade="A", reason="hot", by=org.mia)
    card = leads.north.card
    card.refresh_from_db()
    card.next_review_on = dt.date(2020, 1, 1)
    card.save()
    r = login(client, org.alice).get(reverse("development:reviews"))
    assert r.status_code == 200 and card.number in r.content.decode()
