"""Two runs never overlap: a second one is refused while one is running; a run left "running"
for hours (its process was killed) is marked failed and no longer blocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kehu.insights.models import AnalyticsRun

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _running(started):
    return AnalyticsRun.objects.create(as_of=AS_OF, started_at=started)


def test_second_run_is_refused_while_one_runs(shop):
    busy = _running(timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(CommandError, match=f"run {busy.pk} is still running"):
        call_command("analytics", "run", "--as-of", AS_OF.isoformat(), "--no-progress")
    assert AnalyticsRun.objects.count() == 1


def test_abandoned_run_is_marked_failed(shop):
    stale = _running(timezone.now() - dt.timedelta(hours=7))
    call_command("analytics", "run", "--as-of", AS_OF.isoformat(), "--no-progress")
    stale.refresh_from_db()
    assert stale.status == AnalyticsRun.Status.FAILED
    assert "abandoned" in stale.error
    assert AnalyticsRun.objects.filter(status=AnalyticsRun.Status.SUCCEEDED).count() == 1
