"""A customer without a lead gets a numbered card on request (once), regraded with a
reason; who may not see the customer gets 404, and refusals change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.development.models import Card, GradeChange
from tests.conftest import login
from tests.development.conftest import snapshot


def test_open_then_regrade(client, org):
    url = reverse("development:customer_card", args=[org.customer.pk])
    user = login(client, org.alice)
    assert "open-card" in user.get(url).content.decode()
    user.post(url)
    user.post(url)  # a second open is a regrade form post without data: refused, no card
    card = Card.objects.get(customer=org.customer)
    assert card.grade == "C" and Card.objects.count() == 1
    r = user.post(url, {"grade": "A", "reason": "年度大客户"})
    assert r.status_code == 200
    card.refresh_from_db()
    assert card.grade == "A"
    assert GradeChange.objects.filter(card=card, to_grade="A", reason="年度大客户").exists()


@pytest.mark.parametrize("who,status", [("charlie", 404), ("quinn", 404), ("ana", 403)])
def test_refused(client, org, who, status):
    before = snapshot()
    url = reverse("development:customer_card", args=[org.customer.pk])
    assert login(client, getattr(org, who)).post(url).status_code == status
    assert snapshot() == before
