"""Throttle rows of keys quiet for a day are forgotten when new keys arrive, so failures
from ever new addresses cannot grow the table without bound."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kehu.core import throttle
from kehu.core.models import SignInThrottle


@pytest.mark.django_db
def test_stale_rows_are_purged_and_recent_ones_kept():
    now = timezone.now()
    old = now - dt.timedelta(days=2)
    SignInThrottle.objects.create(
        scope="address", key="192.0.2.1", window_started_at=old, updated_at=old
    )
    SignInThrottle.objects.create(
        scope="address", key="192.0.2.2", window_started_at=now, updated_at=now, failures=3
    )
    throttle.record_failure("address", "192.0.2.3", now=now)
    keys = set(SignInThrottle.objects.values_list("key", flat=True))
    assert keys == {"192.0.2.2", "192.0.2.3"}
