"""Every development page per persona: who sees alice's lead (North), who may change it, and
that a refused change leaves leads, cards, history and the audit log as they were."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.development.conftest import snapshot

# alice's lead in North: her teammate, her manager, root and the analyst (read-only) see it.
SEES = ["alice", "bob", "mia", "ana", "root"]
HIDDEN = ["charlie", "quinn", "pat", "sam"]
CHANGES = ["alice", "bob", "mia", "root"]


@pytest.mark.parametrize("who", SEES + HIDDEN)
def test_lead_detail(client, org, leads, who):
    r = login(client, getattr(org, who)).get(
        reverse("development:lead_detail", args=[leads.north.pk])
    )
    assert r.status_code == (200 if who in SEES else 404)


def test_analyst_sees_phone_masked(client, org, leads):
    r = login(client, org.ana).get(reverse("development:lead_detail", args=[leads.north.pk]))
    assert "13911112222" not in r.content.decode() and "2222" in r.content.decode()


@pytest.mark.parametrize("who", ["pat", "quinn"])
def test_partner_sees_only_own_partners_lead(client, org, leads, who):
    r = login(client, getattr(org, who)).get(reverse("development:lead_detail", args=[leads.p1.pk]))
    assert r.status_code == (200 if who == "pat" else 404)


@pytest.mark.parametrize("who", SEES + HIDDEN)
def test_lead_list_shows_only_visible(client, org, leads, who):
    r = login(client, getattr(org, who)).get(reverse("development:leads"))
    assert r.status_code == 200
    assert ("李娜" in r.content.decode()) == (who in SEES)


@pytest.mark.parametrize(
    "who", ["alice", "bob", "mia", "root", "ana", "pat", "charlie", "quinn", "sam"]
)
def test_man_change(client, org, leads, who):
    before = snapshot()
    url = reverse("development:lead_man", args=[leads.north.pk])
    data = {"money": "yes", "authority": "yes", "need": "yes"}
    r = login(client, getattr(org, who)).post(url, data)
    if who in CHANGES:
        assert r.status_code == 302
        leads.north.refresh_from_db()
        assert leads.north.qualified
    else:
        # Analysts and partner users: their role never changes leads (403); others' reps and
        # service agents: the lead does not exist for them (404).
        assert r.status_code == (403 if who in ("ana", "pat", "quinn") else 404)
        assert snapshot() == before


@pytest.mark.parametrize("who", ["ana", "pat", "charlie"])
def test_grade_touch_disqualify_convert_refused(client, org, leads, who):
    before = snapshot()
    user = login(client, getattr(org, who))
    pk = leads.north.pk
    for name, data in [
        ("lead_grade", {"grade": "A", "reason": "x"}),
        ("lead_touch", {"kind": "call", "subject": "x"}),
        ("lead_disqualify", {"reason": "x"}),
        ("lead_convert", {"new": "1"}),
    ]:
        r = user.post(reverse(f"development:{name}", args=[pk]), data)
        assert r.status_code in (403, 404), name
    assert snapshot() == before


@pytest.mark.parametrize("who,status", [("alice", 200), ("mia", 200), ("ana", 403), ("pat", 403)])
def test_new_lead_and_review_pages(client, org, who, status):
    user = login(client, getattr(org, who))
    assert user.get(reverse("development:lead_create")).status_code == status
    assert user.get(reverse("development:reviews")).status_code == status


def test_card_done_refused_for_other_team(client, org, leads):
    before = snapshot()
    card = leads.north.card
    r = login(client, org.charlie).post(reverse("development:card_reviewed", args=[card.pk]))
    assert r.status_code == 404
    r = client.post(reverse("development:card_contacted", args=[card.pk, "call"]))
    assert r.status_code == 404
    assert snapshot() == before
