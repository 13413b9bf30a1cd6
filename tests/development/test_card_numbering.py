"""Every lead gets a card numbered K-<year>-<six digits>, unique and consecutive; a
customer's card keeps the number of the lead it came from, and a customer without a lead
gets a number of its own."""

from __future__ import annotations

import re

from django.utils import timezone

from kehu.development import services
from kehu.development.models import Card


def test_lead_cards_are_numbered_consecutively(org):
    year = timezone.localdate().year
    a = services.lead_create(by=org.alice, owner=org.alice, name="甲", source="press")
    b = services.lead_create(by=org.alice, owner=org.alice, name="乙", source="press")
    assert re.fullmatch(rf"K-{year}-\d{{6}}", a.card.number)
    assert int(b.card.number[-6:]) == int(a.card.number[-6:]) + 1
    assert Card.objects.values("number").distinct().count() == Card.objects.count()


def test_customer_card_gets_its_own_number_once(org):
    card = services.card_for_customer(customer=org.customer, by=org.mia, grade="B")
    again = services.card_for_customer(customer=org.customer, by=org.mia, grade="A")
    assert card.pk == again.pk and again.grade == "B"
    assert card.number.startswith(f"K-{timezone.localdate().year}-")
    assert card.owner_id == org.alice.pk


def test_numbers_restart_per_year(db):
    assert services.next_card_number(2031) == "K-2031-000001"
    assert services.next_card_number(2031) == "K-2031-000002"
    assert services.next_card_number(2032) == "K-2032-000001"
