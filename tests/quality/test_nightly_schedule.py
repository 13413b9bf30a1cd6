"""The nightly duplicate search is a self-renewing django-tasks-db job: scheduling it twice
queues one run, at the configured hour of the next night."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kehu.quality.tasks import dedupe_database, next_night, schedule_nightly


def test_schedule_nightly_once(db, settings):
    settings.KEHU_DEDUPE_HOUR = 3
    now = timezone.make_aware(dt.datetime(2025, 6, 1, 14, 30))
    when = schedule_nightly(now=now)
    assert timezone.localtime(when).replace(tzinfo=None) == dt.datetime(2025, 6, 2, 3, 0)
    assert next_night(timezone.make_aware(dt.datetime(2025, 6, 1, 1, 0))).hour == 3

    jobs = DBTaskResult.objects.filter(task_path=dedupe_database.module_path)
    assert jobs.count() == 1
    assert jobs.get().args_kwargs["kwargs"] == {"reschedule": True}
    assert schedule_nightly(now=now) is None
    assert jobs.count() == 1
