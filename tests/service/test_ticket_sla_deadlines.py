"""Deadlines from the SLA policy (priority × tier) in business hours on China's calendar."""

from __future__ import annotations

from decimal import Decimal

from kehu.customers.models import Customer
from kehu.service.models import SlaPolicy
from tests.service.helpers import local, ticket


def test_normal_priority_default_targets(org):
    t = ticket(org, priority="normal", now="2025-03-03 09:00")  # a Monday
    assert (t.response_target_hours, t.resolution_target_hours) == (Decimal(8), Decimal(36))
    assert local(t.first_response_due_at) == "2025-03-03 17:00"
    assert local(t.due_at) == "2025-03-06 18:00"


def test_across_national_day(org):
    # 2025: 1-8 October off; half an hour on the 30th, the rest from the 9th.
    t = ticket(org, priority="normal", now="2025-09-30 17:30")
    assert local(t.first_response_due_at) == "2025-10-09 16:30"


def test_key_tier_has_its_own_row(org):
    Customer.objects.filter(pk=org.customer.pk).update(tier="key")
    org.customer.refresh_from_db()
    t = ticket(org, priority="normal", now="2025-03-03 09:00")
    assert t.response_target_hours == Decimal(4) and t.vip
    assert local(t.first_response_due_at) == "2025-03-03 13:00"


def test_policy_change_applies_to_new_tickets(org):
    SlaPolicy.objects.filter(priority="high", tier="").update(first_response_hours=2)
    t = ticket(org, priority="high", now="2025-03-03 09:00")
    assert local(t.first_response_due_at) == "2025-03-03 11:00"
