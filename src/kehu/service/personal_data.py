"""Tickets in a personal-data export and erasure (registered in apps.py): the kind,
category, channel, dates and effort stay for the statistics; the free text goes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import ERASED, SUMMARY, Source, model_rows, register
from kehu.service.models import Ticket


def _erase(*, customer_ids: Sequence[int], identifiers: Any, by: Any) -> int:
    return Ticket.objects.filter(customer_id__in=customer_ids).update(
        subject=ERASED, description="", corrective_action=""
    )


def register_sources() -> None:
    register(
        Source(
            key="service.tickets",
            label=_("Tickets"),
            rows=lambda ids: model_rows(Ticket.objects.filter(customer_id__in=ids)),
            erase=_erase,
            audit_fields={
                "service.ticket": {"subject", "description", "corrective_action", SUMMARY}
            },
        )
    )
