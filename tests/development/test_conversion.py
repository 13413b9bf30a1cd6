"""Conversion: a qualified lead becomes a customer with the lead's source; its contacts move
to the customer's timeline and its card (number, grade history) stays; a lead that looks
like an existing customer is stopped with the match unless the user chooses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kehu.customers.models import Customer, Interaction
from kehu.development import selectors, services
from kehu.development.models import Lead
from tests.development.conftest import qualify_all


def test_unqualified_lead_is_not_converted(org, leads):
    with pytest.raises(ValidationError) as exc:
        services.lead_convert(lead=leads.north, by=org.alice)
    assert set(exc.value.message_dict) == {"money", "authority", "need"}
    assert Lead.objects.get(pk=leads.north.pk).customer_id is None


def test_conversion_keeps_source_history_and_card(org, leads):
    lead = leads.north
    services.touch_log(lead=lead, by=org.alice, kind="call", subject="首次电话")
    services.touch_log(lead=lead, by=org.bob, kind="visit", subject="上门拜访")
    services.card_regrade(card=lead.card, grade="A", reason="大单", by=org.mia)
    qualify_all(lead, org.alice)
    number = lead.card.number
    result = services.lead_convert(lead=lead, by=org.alice)
    customer = Customer.objects.get(pk=result.customer.pk)
    assert customer.source == "referral" and customer.owner == org.alice
    subjects = list(
        Interaction.objects.filter(customer=customer)
        .order_by("occurred_at")
        .values_list("subject", flat=True)
    )
    assert subjects[:2] == ["首次电话", "上门拜访"] and number in subjects[2]
    card = customer.development_card
    assert card.number == number and card.grade == "A"
    assert [g.to_grade for g in card.grade_changes.order_by("at", "id")] == ["C", "A"]
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.customer == customer


def test_matching_customer_is_shown_first(org, leads):
    lead = services.lead_create(
        by=org.alice, owner=org.alice, name="张伟", phone="+8613800138000", source="press"
    )
    qualify_all(lead, org.alice)
    matches = selectors.lead_matches(user=org.alice, lead=lead)
    assert [m.customer_id for m in matches] == [org.customer.pk]
    count = Customer.objects.count()
    with pytest.raises(services.MatchFound) as exc:
        services.lead_convert(lead=lead, by=org.alice, candidates=matches)
    assert exc.value.candidates == matches
    assert Customer.objects.count() == count and Lead.objects.get(pk=lead.pk).status == "qualified"


def test_convert_into_the_matching_customer(org, leads):
    lead = services.lead_create(
        by=org.alice, owner=org.alice, name="张伟", phone="+8613800138000", source="press"
    )
    services.touch_log(lead=lead, by=org.alice, kind="call", subject="又来电话")
    qualify_all(lead, org.alice)
    count = Customer.objects.count()
    result = services.lead_convert(lead=lead, by=org.alice, into=org.customer)
    assert not result.created and Customer.objects.count() == count
    assert org.customer.interactions.filter(subject="又来电话").exists()
