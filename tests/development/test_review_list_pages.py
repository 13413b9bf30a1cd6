"""The review list shows, per kind, how many are due and the most overdue first, a page at a
time: "More" continues after the last card shown (no card twice, none skipped), also for a
manager of several teams; the count is capped; "Done" returns to the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kehu.development import due, services
from kehu.development.models import Card
from kehu.development.views import REVIEW_ROWS
from tests.conftest import login

TODAY = dt.date(2026, 6, 15)


def _cards(org, owner, n: int, *, name: str) -> list[Card]:
    cards = []
    for i in range(n):
        lead = services.lead_create(by=owner, owner=owner, name=f"{name}{i}", source="event")
        cards.append(lead.card)
    return cards


def _due_calls(cards: list[Card], days: list[int]) -> None:
    # Several cards share each date so that the order within a day (by id) is exercised.
    for card, back in zip(cards, days, strict=True):
        Card.objects.filter(pk=card.pk).update(next_call_on=TODAY - dt.timedelta(days=back))


def _walk(user, *, scope="mine", size=REVIEW_ROWS) -> list[int]:
    seen, after = [], None
    while True:
        page = due.due_page(
            user=user, today=TODAY, kind="call", scope=scope, after=after, size=size
        )
        seen += [c.pk for c in page.cards]
        if not page.next_after:
            return seen
        after = due.parse_after(page.next_after)


def test_pages_follow_each_other_without_gaps_or_repeats(org):
    cards = _cards(org, org.alice, 12, name="甲")
    _due_calls(cards, [i % 3 for i in range(12)])
    expected = [
        c.pk
        for c in sorted(
            Card.objects.filter(owner=org.alice, next_call_on__lte=TODAY),
            key=lambda c: (c.next_call_on, c.pk),
        )
    ]
    assert _walk(org.alice, size=5) == expected
    assert len(expected) >= 12


def test_manager_of_two_teams_gets_one_merged_order(org):
    org.south.managers.add(org.mia)
    north = _cards(org, org.alice, 4, name="北")
    south = _cards(org, org.charlie, 4, name="南")
    _due_calls(north + south, [5, 3, 1, 0, 6, 4, 2, 0])
    walked = _walk(org.mia, scope="team", size=3)
    expected = Card.objects.filter(
        team__in=[org.north, org.south], is_active=True, next_call_on__lte=TODAY
    ).order_by("next_call_on", "id")
    assert walked == [c.pk for c in expected]
    assert {c.pk for c in north + south} <= set(walked)


def test_count_is_capped(org, monkeypatch):
    _due_calls(_cards(org, org.alice, 4, name="乙"), [1, 1, 1, 1])
    assert due.due_count(user=org.alice, today=TODAY, kind="call") >= 4
    monkeypatch.setattr(due, "COUNT_CAP", 2)
    assert due.due_count(user=org.alice, today=TODAY, kind="call") == 3


def test_page_shows_first_rows_and_more_link(client, org):
    _due_calls(_cards(org, org.alice, REVIEW_ROWS + 2, name="丙"), [2] * (REVIEW_ROWS + 2))
    c = login(client, org.alice)
    r = c.get(reverse("development:reviews"), {"on": TODAY.isoformat()})
    html = r.content.decode()
    assert r.status_code == 200
    calls = html.split('id="due-call"')[1].split("</section>")[0]
    assert calls.count("<form ") == REVIEW_ROWS and "kind=call" in calls and "after=" in calls
    # "More" with htmx: just the remaining rows, and no further link.
    first = due.due_page(user=org.alice, today=TODAY, kind="call", size=REVIEW_ROWS)
    more = c.get(
        reverse("development:reviews"),
        {"on": TODAY.isoformat(), "kind": "call", "after": first.next_after},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert more.count("<form ") == 2 and "after=" not in more and "<h1>" not in more
    # Marking one done from those rows returns to the whole list, not the "More" rows.
    assert f'value="/leads/reviews/?scope=mine&amp;on={TODAY.isoformat()}"' in more


def test_more_without_javascript_is_a_full_page_of_that_kind(client, org):
    _due_calls(_cards(org, org.alice, 3, name="丁"), [1, 1, 1])
    first = due.due_page(user=org.alice, today=TODAY, kind="call", size=2)
    r = login(client, org.alice).get(
        reverse("development:reviews"),
        {"on": TODAY.isoformat(), "kind": "call", "after": first.next_after},
    )
    html = r.content.decode()
    assert r.status_code == 200 and "<h1>" in html
    assert 'id="due-call"' in html and 'id="due-review"' not in html


@pytest.mark.parametrize("params", [{"kind": "nonsense"}, {"on": "2026-13-45"}])
def test_bad_parameters_are_a_400(client, org, params):
    assert login(client, org.alice).get(reverse("development:reviews"), params).status_code == 400


def test_malformed_position_starts_from_the_first_page(client, org):
    _due_calls(_cards(org, org.alice, 1, name="戊"), [1])
    r = login(client, org.alice).get(
        reverse("development:reviews"),
        {"on": TODAY.isoformat(), "kind": "call", "after": "yesterday.x"},
    )
    assert r.status_code == 200 and "戊0" in r.content.decode()
