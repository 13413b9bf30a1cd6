"""What the surveys app does on the service app's events (connected from apps.py)."""

from __future__ import annotations

import logging
from typing import Any

from kehu.service.signals import ticket_resolved

log = logging.getLogger(__name__)


def on_ticket_resolved(
    sender: Any, *, ticket: Any, by: Any = None, now: Any = None, **kw: Any
) -> None:
    from kehu.surveys import services

    services.invite_ticket_csat(ticket=ticket, by=by, now=now)


def connect() -> None:
    ticket_resolved.connect(on_ticket_resolved, dispatch_uid="surveys-csat-on-resolve")
