"""The public pool's nightly release as a worker task (``kehu worker`` runs it).

django-tasks-db has no periodic tasks, only ``run_after``: like the service desk's overdue
check, each run first enqueues the next one a day later (unless one is already waiting), then
releases. ``kehu pool release --schedule`` starts the chain once; cron users run
``kehu pool release`` nightly instead.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from kehu.core import audit

EVERY = dt.timedelta(days=1)


def _waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=release_pool_task.module_path, status="READY"
    ).exists()


def schedule_next(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next release a day from now unless one waits; None when the backend
    cannot defer (the immediate backend of tests) or one is queued."""
    backend = release_pool_task.get_backend()
    if not backend.supports_defer:
        return None
    if backend.__class__.__module__.startswith("django_tasks_db") and _waiting():
        return None
    when = (now or timezone.now()) + EVERY
    release_pool_task.using(run_after=when).enqueue()
    return when


@task()
def release_pool_task() -> dict[str, int]:
    from kehu.customers import services

    schedule_next()
    with audit.acting_as(None, "worker"):
        released = services.customers_release_to_pool()
    return {"released": released}
