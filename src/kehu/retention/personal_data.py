"""Retention tasks in a personal-data export and erasure (registered in apps.py): kind,
status and dates stay for the statistics; title and notes, written about the person, go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import ERASED, SUMMARY, Source, model_rows, register
from kehu.retention.models import Task


def _erase(*, customer_ids: Sequence[int], identifiers: Any, by: Any) -> int:
    return Task.objects.filter(customer_id__in=customer_ids).update(title=ERASED, notes="")


def register_sources() -> None:
    register(
        Source(
            key="retention.tasks",
            label=_("Retention tasks"),
            rows=lambda ids: model_rows(Task.objects.filter(customer_id__in=ids)),
            erase=_erase,
            audit_fields={"retention.task": {"title", "notes", SUMMARY}},
        )
    )
