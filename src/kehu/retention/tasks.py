"""Worker tasks of the retention app (django-tasks)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from kehu.retention import services

log = logging.getLogger(__name__)


@task()
def generate_after_analytics(as_of: str) -> int:
    """The policy applied to the scores of the run as of ``as_of``; returns tasks created."""
    day = dt.date.fromisoformat(as_of)
    result = services.generate_tasks(as_of=day, by=None)
    log.info("retention: %s tasks created (%s held back)", result.created, result.held_back)
    retention_outcomes.enqueue(as_of)
    return result.created


@task()
def retention_outcomes(as_of: str) -> int:
    """Outcomes from behaviour (won back by buying again) and the win-back tasks."""
    from kehu.retention import outcomes

    result = outcomes.record_outcomes(as_of=dt.date.fromisoformat(as_of), by=None)
    log.info("retention: %s won back, %s win-back tasks", result.won_back, result.win_back_tasks)
    from kehu.retention import notices

    told = notices.remind_overdue(today=timezone.localdate())
    log.info("retention: %s overdue reminders", told)
    post_purchase_care.enqueue()
    return result.won_back


@task()
def post_purchase_care() -> int:
    """Care tasks for the orders completed since the last scan (first or large purchases)."""
    from kehu.retention import care

    created = care.care_scan(by=None)
    log.info("retention: %s post-purchase care tasks", created)
    return created
