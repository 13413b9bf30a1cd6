"""After the nightly analytics run succeeds, generate the retention tasks from its scores.

The analytics live above retention (kehu.insights), so retention listens by the model's label
rather than importing it: a run saved as succeeded enqueues ``generate_after_analytics`` once
the transaction that stored the snapshot commits.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

log = logging.getLogger(__name__)


def _on_run_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if getattr(instance, "status", None) != "succeeded":
        return
    as_of = instance.as_of

    def enqueue() -> None:
        from kehu.retention import tasks

        # The snapshot is stored whatever happens here: a failure to queue is logged, and
        # the next run (or ``generate_tasks`` by hand) catches up.
        try:
            tasks.generate_after_analytics.enqueue(as_of.isoformat())
        except Exception:
            log.exception("retention: could not queue task generation for %s", as_of)

    transaction.on_commit(enqueue)


def connect() -> None:
    post_save.connect(
        _on_run_saved, sender="insights.AnalyticsRun", dispatch_uid="retention-after-analytics"
    )
