"""Reads: a user's own notifications (nobody reads another's)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.notifications.models import Notification

BELL_CAP = 99  # the bell shows "99+" beyond this; counting further costs and tells nothing


def for_user(user: Any) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any, cap: int = BELL_CAP) -> int:
    """Unread notifications, counted up to ``cap + 1``."""
    return for_user(user).filter(read_at__isnull=True).values("id")[: cap + 1].count()
