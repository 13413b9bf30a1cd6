"""The daily survey run as a worker task (``kehu worker`` runs it): like the service's overdue
check, each run first enqueues the next one a day later (unless one waits), then sends.
``kehu surveys send --schedule`` starts the chain once; cron users run ``kehu surveys send``
daily instead."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from kehu.core import audit
from kehu.surveys import schedule

EVERY = dt.timedelta(days=1)


def _waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=send_surveys_task.module_path, status="READY"
    ).exists()


def schedule_next(*, now: dt.datetime | None = None) -> dt.datetime | None:
    backend = send_surveys_task.get_backend()
    if not backend.supports_defer:
        return None
    if backend.__class__.__module__.startswith("django_tasks_db") and _waiting():
        return None
    when = (now or timezone.now()) + EVERY
    send_surveys_task.using(run_after=when).enqueue()
    return when


@task()
def send_surveys_task() -> dict[str, int]:
    schedule_next()
    with audit.acting_as(None, "worker"):
        result = schedule.send_due()
    return {"nps": result.nps, "purchases": result.purchases}
