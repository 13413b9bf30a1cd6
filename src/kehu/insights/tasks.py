"""The nightly analytics run, as a django-tasks task.

django-tasks (and django-tasks-db) have no periodic tasks, only deferred ones (``run_after``).
So the nightly run keeps itself scheduled: each run first enqueues the next one for the next
``KEHU_ANALYTICS_NIGHTLY_AT`` (local time, default 02:00), then does its work, so a failing run
never breaks the chain. ``kehu analytics schedule`` starts the chain once (it is idempotent: a
night already queued is not queued twice); the worker (``kehu worker``) runs it. Installations
that prefer cron can skip that and run ``kehu analytics run`` from cron instead (README line:
``0 2 * * * kehu analytics run --no-progress``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from kehu.insights import services
from kehu.insights.models import AnalyticsRun

log = logging.getLogger(__name__)

DEFAULT_NIGHTLY_AT = "02:00"


def nightly_time() -> dt.time:
    raw = getattr(settings, "KEHU_ANALYTICS_NIGHTLY_AT", "") or DEFAULT_NIGHTLY_AT
    return dt.time.fromisoformat(raw)


def next_nightly(now: dt.datetime | None = None) -> dt.datetime:
    """The next nightly time after ``now``, in the site's time zone (DST-safe)."""
    local_now = timezone.localtime(now or timezone.now())
    at = nightly_time()
    candidate = timezone.make_aware(dt.datetime.combine(local_now.date(), at))
    if candidate <= local_now:
        candidate = timezone.make_aware(
            dt.datetime.combine(local_now.date() + dt.timedelta(days=1), at)
        )
    return candidate


def _queued_nightly() -> bool:
    """Whether a future nightly run already waits in django-tasks-db's queue."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=analytics_nightly.module_path,
        status="READY",
        run_after__gt=timezone.now(),
    ).exists()


def schedule_next(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next nightly run unless one is queued; None when the backend cannot defer
    (the immediate backend of tests, for instance) or a run is already queued."""
    backend = analytics_nightly.get_backend()
    if not backend.supports_defer:
        return None
    if backend.__class__.__module__.startswith("django_tasks_db") and _queued_nightly():
        return None
    when = next_nightly(now)
    analytics_nightly.using(run_after=when).enqueue()
    return when


@task()
def analytics_nightly() -> int:
    """Run the analytics as of today and store the snapshot; returns the run id.

    A failed run raises (the task result shows the failure; the run keeps its error)."""
    when = schedule_next()
    if when is not None:
        log.info("next nightly analytics run at %s", when.isoformat())
    run = services.analytics_run(trigger=AnalyticsRun.Trigger.NIGHTLY)
    return run.pk


@task()
def analytics_on_request(user_id: int | None = None) -> int:
    """A run asked for on the settings page (after changing the cut-offs, say)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = services.analytics_run(trigger=AnalyticsRun.Trigger.USER, by=user)
    return run.pk
