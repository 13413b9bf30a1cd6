"""Writes: telling a user something, and marking what they have read.

``notify`` is the one way apps send a notification: it stores the in-app message and, when
mail is configured (``KEHU_NOTIFY_EMAIL``, on by default when ``KEHU_EMAIL_HOST`` is set),
e-mails it too, after the transaction commits (a rolled-back change sends no mail).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from kehu.notifications.models import Notification

log = logging.getLogger(__name__)


def mail_configured() -> bool:
    return bool(getattr(settings, "KEHU_NOTIFY_EMAIL", False))


def language_of(user: Any) -> str:
    """The language to write to ``user`` in: their chosen one, else the installation's
    (``KEHU_LANGUAGE``). Work done outside a request (workers, e-mails) has no active language
    of the reader's to take."""
    return getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE


def _safe_url(url: str) -> str:
    # Only links inside Kehu: a notification must never send its reader elsewhere.
    return url if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


def _mail(notification: Notification) -> None:
    address = getattr(notification.recipient, "email", "")
    if not address:
        return
    base = getattr(settings, "KEHU_BASE_URL", "").rstrip("/")
    link = f"{base}{notification.url}" if notification.url else ""
    text = "\n\n".join(part for part in (notification.body, link) if part)
    try:
        send_mail(notification.title, text, None, [address])
    except OSError as exc:  # a mail server down must not lose the in-app message
        log.warning("notification %s: mail to %s failed: %s", notification.pk, address, exc)


@transaction.atomic
def notify(
    *,
    recipient: Any,
    title: str,
    url: str,
    kind: str,
    body: str = "",
    by: Any = None,
) -> Notification:
    """Tell ``recipient`` (a user) ``title``; ``url`` is the page it is about (inside Kehu)."""
    notification = Notification.objects.create(
        recipient=recipient,
        title=title[:200],
        body=body,
        url=_safe_url(url)[:500],
        kind=kind[:50],
        created_by=by if getattr(by, "pk", None) else None,
    )
    if mail_configured():
        transaction.on_commit(lambda: _mail(notification))
    return notification


def _mail_all(rows: list[Notification]) -> None:
    for notification in rows:
        _mail(notification)


def notify_many(items: Iterable[tuple[Any, str, str, str]]) -> int:
    """``notify`` for many at once: (recipient, title, url, kind) tuples stored in one
    INSERT per thousand, e-mailed after the commit when mail is configured. For a worker
    telling dozens of people at once (the overdue check's bursts), where a row and a
    savepoint each cost more than the check itself."""
    rows = [
        Notification(
            recipient=recipient, title=title[:200], url=_safe_url(url)[:500], kind=kind[:50]
        )  # fmt: skip
        for recipient, title, url, kind in items
    ]
    Notification.objects.bulk_create(rows, batch_size=1_000)
    if rows and mail_configured():
        transaction.on_commit(lambda: _mail_all(rows))
    return len(rows)


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (only ``ids`` when given); returns how many.
    Another user's ids are ignored, never an error that would reveal they exist."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
