"""The nightly task runs the analytics as of today and stores a snapshot; on the database
backend it keeps the next night queued (exactly once)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kehu.insights import tasks
from kehu.insights.models import AnalyticsRun, CustomerScore

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_nightly_runs_the_pipeline_with_the_immediate_backend(shop, settings):
    settings.TASKS = IMMEDIATE
    result = tasks.analytics_nightly.enqueue()
    assert result.status == "SUCCESSFUL"
    run = AnalyticsRun.objects.get(pk=result.return_value)
    assert run.status == AnalyticsRun.Status.SUCCEEDED
    assert run.trigger == AnalyticsRun.Trigger.NIGHTLY
    assert run.as_of == timezone.localdate()
    # As of today the org's own customer (created today) is known too.
    assert CustomerScore.objects.filter(run=run).count() == 5
    shop.wang.refresh_from_db()
    assert shop.wang.scored_at is not None


def test_nightly_queues_the_next_night_once(shop):
    run_id = tasks.analytics_nightly.call()
    assert AnalyticsRun.objects.get(pk=run_id).status == AnalyticsRun.Status.SUCCEEDED
    queued = DBTaskResult.objects.filter(task_path=tasks.analytics_nightly.module_path)
    assert queued.count() == 1
    when = timezone.localtime(queued.get().run_after)
    assert when.time() == dt.time(2, 0)
    assert timezone.now() < when <= timezone.now() + dt.timedelta(days=1)
    # Scheduling again (kehu analytics schedule, or the next run) does not queue a second one.
    assert tasks.schedule_next() is None
    assert queued.count() == 1


def test_next_nightly_is_tomorrow_after_the_hour():
    tz = timezone.get_current_timezone()
    before = dt.datetime(2025, 3, 1, 1, 30, tzinfo=tz)
    after = dt.datetime(2025, 3, 1, 2, 30, tzinfo=tz)
    assert tasks.next_nightly(before) == dt.datetime(2025, 3, 1, 2, 0, tzinfo=tz)
    assert tasks.next_nightly(after) == dt.datetime(2025, 3, 2, 2, 0, tzinfo=tz)
