"""Development fixtures on top of the shared personas (tests/conftest.py).

``leads.north``: a lead of alice (team North) from a referral; ``leads.south``: a lead of
charlie (team South); ``leads.p1``: a lead worked by partner P1, owned by bob.
"""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.development import services
from kehu.development.models import Card, GradeChange, Lead, LeadTouch


@pytest.fixture
def leads(org):
    class Leads:
        pass

    x = Leads()
    x.north = services.lead_create(
        by=org.alice,
        owner=org.alice,
        name="李娜",
        phone="13911112222",
        source="referral",
        referred_by=org.customer,
        city="上海",
    )
    x.south = services.lead_create(
        by=org.charlie, owner=org.charlie, name="王强", phone="13933334444", source="event"
    )
    x.p1 = services.lead_create(
        by=org.bob, owner=org.bob, name="赵敏", source="partner", partner=org.p1
    )
    return x


def snapshot() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        list(Lead.objects.order_by("id").values()),
        list(Card.objects.order_by("id").values()),
        GradeChange.objects.count(),
        LeadTouch.objects.count(),
        AuditEvent.objects.count(),
    )


def qualify_all(lead, by):
    return services.lead_qualify(lead=lead, by=by, money="yes", authority="yes", need="yes")
