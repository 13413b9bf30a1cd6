"""The 360 page's first screen answers "how is this customer doing": value, grade, status,
churn risk, owner, last contact and the next contact due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.customers.models import Customer, Interaction

pytestmark = pytest.mark.django_db


def _health(client, customer) -> str:
    client.cookies["django_language"] = "en"
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    start = body.index('id="health"')
    return body[start : body.index("</section>", start)]


def test_first_screen(client, org):
    Customer.objects.filter(pk=org.customer.pk).update(
        grade="A", lifecycle_status="at_risk", churn_band="high", churn_probability=0.734
    )
    Interaction.objects.create(
        customer=org.customer,
        channel="phone",
        subject="Old call",
        user=org.bob,
        occurred_at=timezone.now() - dt.timedelta(days=30),
    )
    Interaction.objects.create(
        customer=org.customer,
        channel="field",
        subject="Visit",
        user=org.alice,
        occurred_at=timezone.now() - dt.timedelta(days=2),
        next_contact_on=timezone.localdate() + dt.timedelta(days=5),
        next_contact_purpose="Bring the quote",
    )
    client.force_login(org.mia)
    health = _health(client, org.customer)
    assert "High risk" in health and "73%" in health
    assert "alice" in health and "North" in health
    assert (timezone.localdate() - dt.timedelta(days=2)).isoformat() in health
    assert (timezone.localdate() + dt.timedelta(days=5)).isoformat() in health
    assert "Bring the quote" in health
    assert "grade-A" in health and "status-at_risk" in health


def test_first_screen_of_a_new_customer(client, org):
    client.force_login(org.alice)
    health = _health(client, org.customer)
    assert 'id="next-contact"' in health and "—" in health
