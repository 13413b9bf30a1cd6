"""The analytics' scores of a customer in a personal-data export (registered in apps.py):
profiling is personal data too. An erasure keeps them, they are the statistics."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import Source, model_rows, register
from kehu.insights.models import CustomerScore


def register_sources() -> None:
    register(
        Source(
            key="insights.scores",
            label=_("Analytics scores"),
            rows=lambda ids: model_rows(
                CustomerScore.objects.filter(customer_id__in=ids).order_by("run_id")
            ),
        )
    )
