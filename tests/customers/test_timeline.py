"""One timeline per customer shows every department's contacts (A3, A6), and logging an
interaction takes two clicks: open the form, save."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.customers.models import Interaction
from kehu.sales.models import Order
from kehu.service.models import Ticket

pytestmark = pytest.mark.django_db


def test_timeline_shows_every_department(client, org):
    c = org.customer
    Interaction.objects.create(
        customer=c, channel="store", subject="Visited the store", user=org.alice
    )
    Interaction.objects.create(
        customer=c, channel="email", department="billing", subject="Invoice question"
    )
    Order.objects.create(
        customer=c, number="SO-1", ordered_on=dt.date(2026, 3, 1), channel="web", amount=Decimal(5)
    )
    Ticket.objects.create(customer=c, subject="Broken part", assigned_to=org.sam)
    client.force_login(org.bob)
    body = client.get(f"/customers/{c.pk}/").content.decode()
    for text in ["Visited the store", "Invoice question", "SO-1", "Broken part"]:
        assert text in body


def test_log_interaction_with_htmx(client, org):
    client.force_login(org.sam)
    response = client.post(
        f"/customers/{org.customer.pk}/interactions/new/",
        {
            "channel": "chat",
            "direction": "in",
            "department": "service",
            "subject": "Chat about delivery",
            "occurred_at": "2026-02-01T09:30",
            "duration_minutes": "5",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="logged-ok"' in body and "Chat about delivery" in body
    i = Interaction.objects.get(subject="Chat about delivery")
    assert i.user == org.sam and i.duration_minutes == 5


def test_log_interaction_errors_stay_in_place(client, org):
    client.force_login(org.sam)
    response = client.post(
        f"/customers/{org.customer.pk}/interactions/new/",
        {"channel": "pigeon", "subject": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="channel-errors"' in body and 'id="subject-errors"' in body and " open>" in body
    assert not Interaction.objects.exists()


def test_partner_interaction_carries_partner(client, org):
    client.force_login(org.pat)
    client.post(
        f"/customers/{org.customer.pk}/interactions/new/",
        {
            "channel": "partner",
            "direction": "out",
            "department": "partner",
            "subject": "Dealer visit",
            "occurred_at": "2026-02-01T09:30",
        },
    )
    assert Interaction.objects.get(subject="Dealer visit").partner == org.p1
