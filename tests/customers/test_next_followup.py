"""Logging a contact can set the next one (date and purpose): it shows on the 360 page and on
the owner's due list until a later contact is logged (issue #12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.core import duelist
from kehu.core.models import AuditEvent
from kehu.customers.models import Interaction

pytestmark = pytest.mark.django_db


def _post(client, customer, **extra):
    data = {
        "channel": "phone",
        "direction": "out",
        "department": "sales",
        "subject": "Called about the offer",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(extra)
    return client.post(f"/customers/{customer.pk}/interactions/new/", data, HTTP_HX_REQUEST="true")


def _followups(user, today, scope="mine"):
    return [
        i for i in duelist.due_items(user=user, today=today, scope=scope) if i.source == "followups"
    ]


def test_follow_up_reaches_the_owners_due_list(client, org):
    today = timezone.localdate()
    client.force_login(org.alice)
    response = _post(
        client, org.customer, next_contact_on=today.isoformat(), next_contact_purpose="Send quote"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="logged-ok"' in body
    # The first screen's "next contact" is swapped in place.
    assert 'id="next-contact"' in body and 'hx-swap-oob="true"' in body and "Send quote" in body
    items = _followups(org.alice, today)
    assert [(i.title, i.customer_id, i.due) for i in items] == [
        ("Send quote", org.customer.pk, today)
    ]
    assert _followups(org.bob, today) == []  # the owner's list, not a teammate's
    page = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "Send quote" in page[page.index('id="health"') :]


def test_a_later_contact_closes_the_follow_up(client, org):
    today = timezone.localdate()
    client.force_login(org.alice)
    _post(
        client,
        org.customer,
        occurred_at=(timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        next_contact_on=today.isoformat(),
        next_contact_purpose="Send quote",
    )
    assert _followups(org.alice, today)
    _post(client, org.customer, subject="Sent it")
    assert _followups(org.alice, today) == []


def test_future_follow_up_is_due_on_its_day(client, org):
    today = timezone.localdate()
    client.force_login(org.alice)
    _post(client, org.customer, next_contact_on=(today + dt.timedelta(days=3)).isoformat())
    assert _followups(org.alice, today) == []
    assert len(_followups(org.alice, today + dt.timedelta(days=3))) == 1


def test_team_scope_shows_overdue_to_the_manager_only(org):
    today = timezone.localdate()
    Interaction.objects.create(
        customer=org.customer,
        channel="phone",
        subject="Call",
        user=org.alice,
        next_contact_on=today - dt.timedelta(days=2),
    )
    assert len(_followups(org.mia, today, "team")) == 1
    assert _followups(org.charlie, today, "team") == []
    assert _followups(org.charlie, today) == []


def test_past_date_refused_nothing_written(client, org):
    client.force_login(org.alice)
    events = AuditEvent.objects.count()
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = _post(client, org.customer, next_contact_on=yesterday)
    assert 'id="next_contact_on-errors"' in response.content.decode()
    response = _post(client, org.customer, next_contact_purpose="No date")
    assert 'id="next_contact_on-errors"' in response.content.decode()
    assert not Interaction.objects.exists() and AuditEvent.objects.count() == events


def test_analyst_cannot_log_a_follow_up(client, org):
    client.force_login(org.ana)
    response = _post(client, org.customer, next_contact_on=timezone.localdate().isoformat())
    assert response.status_code == 403 and not Interaction.objects.exists()
