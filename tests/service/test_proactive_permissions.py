"""Who may see and decide suggestions: agents, owners (and teammates), managers and the
administrator; analysts and partner users are refused (403); a rep of another team gets 404.
Refusals change nothing and write nothing to the audit trail."""

from __future__ import annotations

import pytest

from kehu.service.models import ProactiveSuggestion
from tests.conftest import login
from tests.service.proactive_data import TODAY, state


@pytest.fixture
def suggestion(org):
    return ProactiveSuggestion.objects.create(
        customer=org.customer, kind="payment_failed", key="payment:1", due_on=TODAY,
        params={"amount": "880.00", "failed": "2025-06-13", "reason": "余额不足"},
        assigned_to=org.alice,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["alice", "bob", "mia", "sam", "root"])
def test_page_lists_it_for_those_who_serve_the_customer(client, org, suggestion, who):
    response = login(client, getattr(org, who)).get("/service/proactive/")
    assert response.status_code == 200
    assert f'data-suggestion="{suggestion.pk}"' in response.content.decode()


@pytest.mark.parametrize("who,status", [("ana", 403), ("pat", 403), ("quinn", 403),
                                         ("charlie", 404)])  # fmt: skip
def test_refused_and_nothing_changed(client, org, suggestion, who, status):
    login(client, getattr(org, who))
    before = state()
    accept = client.post(f"/service/proactive/{suggestion.pk}/accept/", {"as": "call"})
    dismiss = client.post(f"/service/proactive/{suggestion.pk}/dismiss/", {"reason": "不需要"})
    assert (accept.status_code, dismiss.status_code) == (status, status)
    assert state() == before


def test_other_team_does_not_see_it_listed(client, org, suggestion):
    response = login(client, org.charlie).get("/service/proactive/")
    assert response.status_code == 200
    assert "data-suggestion" not in response.content.decode()


def test_owner_dismisses_with_a_reason(client, org, suggestion):
    login(client, org.alice)
    empty = client.post(f"/service/proactive/{suggestion.pk}/dismiss/", {"reason": ""})
    assert empty.status_code == 400
    ok = client.post(f"/service/proactive/{suggestion.pk}/dismiss/", {"reason": "已电话联系"})
    assert ok.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("dismissed", org.alice)
