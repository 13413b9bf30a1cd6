"""Worker tasks of the retention app (django-tasks)."""

from __future__ import annotations

import datetime as dt
import logging

from django_tasks import task

from kehu.retention import services

log = logging.getLogger(__name__)


@task()
def generate_after_analytics(as_of: str) -> int:
    """The policy applied to the scores of the run as of ``as_of``; returns tasks created."""
    result = services.generate_tasks(as_of=dt.date.fromisoformat(as_of), by=None)
    log.info("retention: %s tasks created (%s held back)", result.created, result.held_back)
    return result.created
