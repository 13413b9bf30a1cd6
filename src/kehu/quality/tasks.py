"""Background jobs of data quality, run by ``kehu worker`` (django-tasks-db).

django-tasks-db has no cron of its own; it has ``run_after``. The nightly duplicate search
is therefore a self-renewing chain: each run enqueues the next one for the following night
(``KEHU_DEDUPE_HOUR``, local time, default 2 o'clock). ``kehu dedupe --schedule-nightly``
starts the chain once (it is a no-op while a run is already waiting). Alternatively a
plain cron line does the same without the worker: ``30 2 * * * kehu dedupe``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from kehu.core import audit
from kehu.quality import detection

logger = logging.getLogger(__name__)


def next_night(now: dt.datetime | None = None) -> dt.datetime:
    hour = int(getattr(settings, "KEHU_DEDUPE_HOUR", 2))
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if run <= local:
        run += dt.timedelta(days=1)
    return run


@task()
def dedupe_database(threshold: float | None = None, reschedule: bool = False) -> dict[str, Any]:
    """Find duplicate candidates in the database; returns the counts (kept as the result)."""
    with audit.acting_as(None, "worker"):
        run = detection.run_database_dedupe(threshold=threshold, progress=logger.info)
    if reschedule:
        schedule_nightly()
    return run.as_dict()


def waiting_nightly() -> bool:
    from django_tasks_db.models import DBTaskResult

    # READY whatever its time: an overdue run still waits for the worker. The run that is
    # executing is RUNNING, so it can enqueue its successor.
    return DBTaskResult.objects.filter(
        task_path=dedupe_database.module_path, status="READY"
    ).exists()


def schedule_nightly(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next nightly run unless one is already waiting; returns its time."""
    if waiting_nightly():
        return None
    when = next_night(now)
    dedupe_database.using(run_after=when).enqueue(reschedule=True)
    return when
