"""Sign-in throttling: failed passwords, second-step codes and bearer tokens are counted per
key, and a key that fails too often within the window is locked for a while.

The policy, with the defaults in settings:
- an account from one address: 5 failures in 15 minutes lock that account *for that
  address*; its owner signing in from anywhere else is not affected, so a flood from one
  address cannot lock a user out;
- one address across accounts: 20 failures in 15 minutes lock the address (password
  spraying); a success does not clear this count, so one valid account cannot be used to
  keep trying others;
- bearer tokens: 20 unknown tokens from one address in 15 minutes lock that address's
  token attempts.
Each lock-out of the same key doubles the next one (1, 2, 4 … minutes, capped at an hour);
a key that stays clean for a day starts again from one minute. Every lock-out is logged on
the ``kehu.security`` logger and written to the audit trail.

Keys are the typed username (lower-cased) whether or not such a user exists, so the
responses do not tell an attacker which usernames are real.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from kehu.core import audit
from kehu.core.models import AuditEvent, SignInThrottle

log = logging.getLogger("kehu.security")

Scope = SignInThrottle.Scope
# A key that has not been locked for this long starts its backoff again from the start.
BACKOFF_MEMORY = dt.timedelta(days=1)


def client_address(request: HttpRequest | None) -> str:
    """The caller's address as the throttle counts it: REMOTE_ADDR, or behind our proxy
    (KEHU_BEHIND_PROXY) the last X-Forwarded-For entry, the one the proxy itself appended
    (earlier entries are whatever the client sent and could be forged); IPv6 by /64."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "KEHU_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [part.strip() for part in forwarded.split(",") if part.strip()]
        if entries:
            address = entries[-1]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        # One IPv6 subscriber gets a whole /64: counting single addresses would let them
        # rotate through it. Counted (and shown) as the network.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_key(username: str | None, address: str) -> str:
    return f"{(username or '').strip().lower()[:150]}|{address}"


def _limit(scope: str) -> int:
    limits: dict[str, int] = {
        Scope.ACCOUNT: settings.KEHU_LOGIN_FAILURES_PER_ACCOUNT,
        Scope.ADDRESS: settings.KEHU_LOGIN_FAILURES_PER_ADDRESS,
        Scope.TOKEN: settings.KEHU_TOKEN_FAILURES_PER_ADDRESS,
    }
    return limits[scope]


def lockout_length(lockouts: int) -> dt.timedelta:
    """The ``lockouts``-th lock-out of a key: doubling from the base, capped."""
    base = settings.KEHU_LOGIN_LOCKOUT_MINUTES
    cap = settings.KEHU_LOGIN_LOCKOUT_MAX_MINUTES
    return dt.timedelta(minutes=min(cap, base * 2 ** min(lockouts - 1, 20)))


def wait_seconds(scope: str, key: str, *, now: dt.datetime | None = None) -> int:
    """Seconds until ``key`` may try again (0: it may try now)."""
    now = now or timezone.now()
    locked_until = (
        SignInThrottle.objects.filter(scope=scope, key=key)
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked_until is None or locked_until <= now:
        return 0
    return max(1, math.ceil((locked_until - now).total_seconds()))


def signin_wait(username: str | None, address: str, *, now: dt.datetime | None = None) -> int:
    """Seconds before this username may be tried from this address."""
    if not address:
        return 0
    return max(
        wait_seconds(Scope.ACCOUNT, account_key(username, address), now=now),
        wait_seconds(Scope.ADDRESS, address, now=now),
    )


def _row_for_update(scope: str, key: str, now: dt.datetime) -> SignInThrottle:
    try:
        with transaction.atomic():
            row, created = SignInThrottle.objects.select_for_update().get_or_create(
                scope=scope, key=key, defaults={"window_started_at": now, "updated_at": now}
            )
    except IntegrityError:  # created by a concurrent failure a moment ago
        return SignInThrottle.objects.select_for_update().get(scope=scope, key=key)
    if created:
        purge_stale(now=now)
    return row


def purge_stale(*, now: dt.datetime) -> int:
    """Forget keys quiet for longer than the backoff is remembered, so failures from ever
    new addresses cannot grow the table without bound."""
    deleted, _ = SignInThrottle.objects.filter(updated_at__lt=now - BACKOFF_MEMORY).delete()
    return deleted


@transaction.atomic
def record_failure(
    scope: str, key: str, *, now: dt.datetime | None = None, username: str = ""
) -> int:
    """Count one failure for ``key``; returns the seconds of the lock-out it caused, or 0."""
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.KEHU_LOGIN_WINDOW_MINUTES)
    row = _row_for_update(scope, key, now)
    if row.locked_until is not None and row.locked_until > now:
        return 0  # already locked: the caller was refused before trying
    if now - row.window_started_at > window:
        row.failures = 0
        row.window_started_at = now
    if row.locked_until is not None and now - row.locked_until > BACKOFF_MEMORY:
        row.lockouts = 0
    row.failures += 1
    locked = 0
    if row.failures >= _limit(scope):
        row.lockouts += 1
        length = lockout_length(row.lockouts)
        row.locked_until = now + length
        row.failures = 0
        row.window_started_at = now
        locked = int(length.total_seconds())
    row.updated_at = now
    row.save()
    if locked:
        _report_lockout(scope, key, username, length=locked, lockouts=row.lockouts)
    return locked


def record_signin_failure(username: str | None, address: str) -> None:
    if not address:
        return
    record_failure(Scope.ACCOUNT, account_key(username, address), username=username or "")
    record_failure(Scope.ADDRESS, address, username=username or "")


def record_signin_success(username: str | None, address: str) -> None:
    """The account's count from this address starts again; the address's does not."""
    if address:
        SignInThrottle.objects.filter(
            scope=Scope.ACCOUNT, key=account_key(username, address)
        ).delete()


def _report_lockout(scope: str, key: str, username: str, *, length: int, lockouts: int) -> None:
    log.warning(
        "sign-in lock-out: %s %s for %d s (lock-out %d in a row)", scope, key, length, lockouts
    )
    user = _existing_user(username) if scope == Scope.ACCOUNT else None
    # The locked account is the record concerned, not the actor: whoever failed is unknown.
    audit.record(
        action=AuditEvent.Action.LOCKOUT,
        model="auth.user" if user is not None else "auth.signin",
        object_id=user.pk if user is not None else key[:40],
        changes={"scope": scope, "key": key, "seconds": length, "lockouts": lockouts},
        summary=f"{scope} {key} locked for {length} s",
    )


def _existing_user(username: str) -> Any | None:
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return model.objects.filter(**{model.USERNAME_FIELD: username}).first()
