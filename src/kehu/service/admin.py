"""The service app's settings in the Django admin: the customer strategy's targets per tier
(read by the balanced report). The holiday calendar has its own page (/service/calendar/),
which seeds a year from the official schedule before the first change."""

from __future__ import annotations

from django.contrib import admin

from kehu.service.models import TierTarget


@admin.register(TierTarget)
class TierTargetAdmin(admin.ModelAdmin):
    list_display = ["tier", "csat_pct", "nps", "retention_pct", "fcr_pct", "handling_minutes",
                    "sla_pct"]  # fmt: skip
