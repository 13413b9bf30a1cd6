"""/api/v1/service/suggestions per persona, with the page's rules: listed for those who
serve the customer, analysts and partner users 403, another team's rep 404 (like a missing
suggestion); refusals change nothing (suggestions and audit trail); accept and dismiss call
the services; a missing reason or a wrong ``as`` is 4xx naming the field."""

from __future__ import annotations

import pytest

from kehu.service.models import ProactiveSuggestion
from tests.service.proactive_data import TODAY, state


@pytest.fixture
def suggestion(org):
    return ProactiveSuggestion.objects.create(
        customer=org.customer, kind="payment_failed", key="payment:1", due_on=TODAY,
        params={"amount": "880.00", "failed": "2025-06-13", "reason": "余额不足"},
        assigned_to=org.alice,
    )  # fmt: skip


@pytest.mark.parametrize("who", ["alice", "bob", "mia", "sam", "root"])
def test_listed_for_those_who_serve_the_customer(api, org, suggestion, who):
    response = api(getattr(org, who)).get("/service/suggestions")
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["items"]] == [suggestion.pk]
    assert response.json()["items"][0]["kind"] == "payment_failed"


def test_other_team_does_not_see_it_listed(api, org, suggestion):
    response = api(org.charlie).get("/service/suggestions")
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("who,status", [("ana", 403), ("pat", 403), ("quinn", 403),
                                         ("charlie", 404)])  # fmt: skip
def test_refused_and_nothing_changed(api, org, suggestion, who, status):
    client = api(getattr(org, who))
    before = state()
    accept = client.post(f"/service/suggestions/{suggestion.pk}/accept", {"as": "call"})
    dismiss = client.post(f"/service/suggestions/{suggestion.pk}/dismiss", {"reason": "不需要"})
    assert (accept.status_code, dismiss.status_code) == (status, status)
    assert state() == before


def test_missing_suggestion_is_404(api, org, suggestion):
    assert (
        api(org.alice).post("/service/suggestions/999999/accept", {"as": "call"}).status_code == 404
    )


def test_accept_as_ticket_by_the_agent(api, org, suggestion):
    response = api(org.sam).post(f"/service/suggestions/{suggestion.pk}/accept", {"as": "ticket"})
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.ticket is not None
    assert response.json()["ticket_id"] == suggestion.ticket_id
    assert suggestion.ticket.assigned_to == org.sam
    again = api(org.sam).post(f"/service/suggestions/{suggestion.pk}/dismiss", {"reason": "x"})
    assert 400 <= again.status_code < 500


def test_dismiss_needs_a_reason(api, org, suggestion):
    client = api(org.alice)
    before = state()
    for body, field in (({"reason": "  "}, "reason"), ({}, "reason")):
        response = client.post(f"/service/suggestions/{suggestion.pk}/dismiss", body)
        assert response.status_code in (400, 422)
        assert field in response.content.decode()
    wrong = client.post(f"/service/suggestions/{suggestion.pk}/accept", {"as": "email"})
    assert wrong.status_code == 422 and "as" in wrong.content.decode()
    assert state() == before
    ok = client.post(f"/service/suggestions/{suggestion.pk}/dismiss", {"reason": "已电话联系"})
    assert ok.status_code == 200
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("dismissed", org.alice)
