"""The exit-reasons report (C4): counts by tier, team, region or owner (as they were when the
reason was recorded) and by month, over the customers the user sees; 'other' needs words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kehu.retention import selectors, services
from kehu.retention.models import ExitReason
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db


def _exit(customer, reason, on, text=""):
    return services.record_exit(
        customer=customer,
        by=customer.owner,
        exit=services.ExitInput(reason=reason, text=text, what_we_change="faster replies"),
        left_on=on,
    )


def test_counts_by_tier_and_month(org, client):
    (key,) = scored(org, tier="key")
    small = scored(org, n=2, tier="small")
    (outside,) = scored(org, tier="key", owner=org.charlie)
    _exit(key, "price", dt.date(2026, 10, 3))
    _exit(small[0], "service", dt.date(2026, 11, 3))
    _exit(small[1], "service", dt.date(2026, 11, 9))
    _exit(outside, "moved", dt.date(2026, 11, 9))
    report = selectors.exit_reasons(user=org.mia, by="tier")
    assert report["rows"] == {"key": {"price": 1}, "small": {"service": 2}}
    assert report["months"] == {"2026-10": {"price": 1}, "2026-11": {"service": 2}}
    assert selectors.exit_reasons(user=org.root, by="owner")["rows"][str(org.charlie.pk)] == {
        "moved": 1
    }
    body = login(client, org.mia).get("/retention/exits/?by=team").content.decode()
    assert "exit-table" in body and "North" in body


def test_other_needs_words(org):
    (customer,) = scored(org)
    with pytest.raises(ValidationError):
        _exit(customer, "other", dt.date(2026, 11, 1))
    assert not ExitReason.objects.exists()
