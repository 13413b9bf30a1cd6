"""Service deadlines: targets per priority and customer tier, counted in business hours on
the working calendar (kehu.core.workcalendar; China's official working days by default,
``KEHU_SERVICE_CALENDAR=none`` for Monday to Friday).

A ticket's deadlines are its opening time plus its targets plus the business hours it spent
paused (waiting on the customer, or resolved before a reopening), so pausing pushes both
deadlines back by exactly the working time that passed while the clock was stopped.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from kehu.core import workcalendar as W

# priority: (first response, resolution) in business hours when no policy row applies.
FALLBACK = {
    "urgent": (Decimal(1), Decimal(8)),
    "high": (Decimal(4), Decimal(18)),
    "normal": (Decimal(8), Decimal(36)),
    "low": (Decimal(16), Decimal(72)),
}


@functools.lru_cache(maxsize=4)
def _calendar(name: str, table_version: tuple[int, str]) -> W.WorkCalendar:
    return W.by_name(name)


def calendar() -> W.WorkCalendar:
    # Keyed on the holiday table's version: an administrator's edit moves new deadlines.
    from kehu.service import holiday_table

    name = getattr(settings, "KEHU_SERVICE_CALENDAR", "cn") or "cn"
    return _calendar(name, holiday_table.version())


def _local(moment: dt.datetime) -> dt.datetime:
    # The calendar counts wall-clock time in the site's zone (Asia/Shanghai by default).
    return timezone.localtime(moment)


def targets(priority: str, tier: str) -> tuple[Decimal, Decimal]:
    """(first-response, resolution) business hours for a ticket of ``priority`` from a
    customer of ``tier``: the tier's own row, else the priority's default row, else
    the built-in fallback."""
    from kehu.service.models import SlaPolicy

    rows = {
        p.tier: (p.first_response_hours, p.resolution_hours)
        for p in SlaPolicy.objects.filter(priority=priority, tier__in={tier or "", ""})
    }
    return rows.get(tier or "") or rows.get("") or FALLBACK.get(priority, FALLBACK["normal"])


def add_hours(start: dt.datetime, hours: Decimal) -> dt.datetime:
    return calendar().add_business_hours(_local(start), hours)


def hours_between(a: dt.datetime, b: dt.datetime) -> Decimal:
    """Business hours from ``a`` to ``b``, to the second (what a pause adds)."""
    value = calendar().business_hours_between(_local(a), _local(b))
    return Decimal(str(round(max(value, 0.0), 4))).quantize(Decimal("0.01"))


def set_deadlines(ticket) -> None:
    """Fill the ticket's two deadlines from its opening time, targets and paused hours."""
    paused = ticket.paused_hours or Decimal(0)
    if ticket.response_target_hours is not None:
        ticket.first_response_due_at = add_hours(
            ticket.opened_at, ticket.response_target_hours + paused
        )
    if ticket.resolution_target_hours is not None:
        ticket.due_at = add_hours(ticket.opened_at, ticket.resolution_target_hours + paused)
