"""The overdue check as a worker task, every minute (``kehu worker`` runs it).

django-tasks-db has no periodic tasks, only ``run_after``; like the nightly analytics, the
check keeps itself scheduled: each run first enqueues the next one a minute later (unless one
is already waiting), then checks. ``kehu service overdue --schedule`` starts the chain once;
cron users run ``kehu service overdue`` every minute instead.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from kehu.core import audit
from kehu.service import escalation

log = logging.getLogger(__name__)
EVERY = dt.timedelta(minutes=1)


def _waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=check_overdue_task.module_path, status="READY"
    ).exists()


def schedule_next(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next check a minute from now unless one waits; None when the backend
    cannot defer (the immediate backend of tests) or one is queued."""
    backend = check_overdue_task.get_backend()
    if not backend.supports_defer:
        return None
    if backend.__class__.__module__.startswith("django_tasks_db") and _waiting():
        return None
    when = (now or timezone.now()) + EVERY
    check_overdue_task.using(run_after=when).enqueue()
    return when


@task()
def check_overdue_task() -> dict[str, int]:
    schedule_next()
    with audit.acting_as(None, "worker"):
        result = escalation.check_overdue()
    return {
        "response_breached": result.response_breached,
        "escalated": result.escalated,
        "notifications": result.notifications,
    }
