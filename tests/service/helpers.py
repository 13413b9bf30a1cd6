"""Building blocks for the ticket tests: local (Shanghai) times and a ticket in one call."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kehu.service import services

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    """``"2025-03-03 09:00"`` in Shanghai time."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def local(moment: dt.datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def ticket(org, *, by=None, customer=None, now="2025-03-03 09:00", **fields):
    fields.setdefault("subject", "打印机卡纸")
    return services.ticket_create(
        customer=customer or org.customer, by=by or org.sam, now=at(now), **fields
    )
