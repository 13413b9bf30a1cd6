"""``record_ticket_csat`` (the portal's rating) and ``csat_for_ticket``: one rating per ticket,
5 kept apart from 4, the open link answered by it, a bad score refused with nothing written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.core.models import AuditEvent
from kehu.surveys import selectors, services
from kehu.surveys.models import Response
from tests.surveys.helpers import at, csat_link, resolved_ticket


def test_rating_is_stored_per_customer_with_what_it_is_reported_under(org):
    ticket = resolved_ticket(org, category="打印机")
    assert selectors.csat_for_ticket(ticket) is None
    response = services.record_ticket_csat(ticket=ticket, score=5, comment="很好", by=None)
    got = selectors.csat_for_ticket(ticket)
    assert got == response
    assert (got.score, got.comment, got.customer, got.agent, got.category) == (
        5,
        "很好",
        org.customer,
        org.sam,
        "打印机",
    )
    assert got.completely_satisfied
    assert got.tier == org.customer.tier


def test_four_is_satisfied_not_completely(org):
    ticket = resolved_ticket(org)
    response = services.record_ticket_csat(ticket=ticket, score="4")
    assert response.score == 4 and not response.completely_satisfied


def test_rating_again_changes_the_one_rating(org):
    ticket = resolved_ticket(org)
    services.record_ticket_csat(ticket=ticket, score=2)
    services.record_ticket_csat(ticket=ticket, score=5)
    assert list(Response.objects.filter(ticket=ticket).values_list("score", flat=True)) == [5]


def test_portal_rating_uses_up_the_link(org):
    ticket = resolved_ticket(org)
    invitation, token = csat_link(org, ticket)
    services.record_ticket_csat(ticket=ticket, score=3)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    with pytest.raises(services.TokenRefused) as refused:
        services.answer_by_token(token=token, score=5, now=at("2025-03-03 11:00"))
    assert refused.value.reason == "used"
    assert list(Response.objects.filter(ticket=ticket).values_list("score", flat=True)) == [3]


@pytest.mark.parametrize("score", [0, 6, "5.5", "", None, "x", -1])
def test_score_out_of_range_refused_nothing_written(org, score):
    ticket = resolved_ticket(org)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.record_ticket_csat(ticket=ticket, score=score)
    assert "score" in error.value.message_dict
    assert not Response.objects.exists()
    assert AuditEvent.objects.count() == before
