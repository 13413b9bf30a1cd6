"""Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), standard library only,
and the enrol / confirm / verify / disable rules for a user's authenticator.

Codes are 6 digits over 30-second steps with HMAC-SHA1, which is what every authenticator
app implements; one step either side is accepted for clock drift, and a step once accepted
is never accepted again (a code seen over a shoulder cannot be replayed).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import string
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kehu.core.models import RecoveryCode, Role, TotpDevice

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation for HMAC-SHA1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = string.ascii_lowercase + string.digits
ROLES_OFFERED = {Role.ADMIN, Role.MANAGER}


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226 HOTP: dynamic truncation of HMAC(key, counter)."""
    mac = hmac.new(key, counter.to_bytes(8, "big"), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    code = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def time_step(at: dt.datetime | float) -> int:
    seconds = at.timestamp() if isinstance(at, dt.datetime) else at
    return int(seconds // STEP_SECONDS)


def totp(key: bytes, at: dt.datetime | float, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    return hotp(key, time_step(at), digits=digits, digest=digest)


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode().rstrip("=")


def secret_bytes(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI authenticator apps import (Google's Key URI format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": 30}
    )
    return f"otpauth://totp/{label}?{query}"


def matching_step(secret: str, code: str, *, now: dt.datetime, after_step: int = 0) -> int | None:
    """The time step ``code`` belongs to (within the drift window, later than
    ``after_step``), or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_bytes(secret)
    current = time_step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(key, step), code):
            return step
    return None


# --- the rules -------------------------------------------------------------------------------


def is_offered_to(user: Any) -> bool:
    from kehu.core.permissions import role_of

    return role_of(user) in ROLES_OFFERED


def is_required_for(user: Any) -> bool:
    return bool(getattr(settings, "KEHU_REQUIRE_2FA", False)) and is_offered_to(user)


def enabled_device(user: Any) -> TotpDevice | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


@transaction.atomic
def start_enrolment(*, user: Any) -> TotpDevice:
    """A fresh unconfirmed secret (replacing an earlier unconfirmed one); an enabled
    authenticator must be disabled first."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ValueError("two-factor sign-in is already enabled")
    if device is None:
        return TotpDevice.objects.create(user=user, secret=new_secret())
    device.secret = new_secret()
    device.last_step = 0
    device.save(update_fields=["secret", "last_step"])
    return device


def _recovery_digest(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def confirm_enrolment(*, user: Any, code: str, now: dt.datetime | None = None) -> list[str] | None:
    """Enable two-factor sign-in if ``code`` is right; returns the new recovery codes (shown
    once, stored hashed) or None for a wrong code."""
    now = now or timezone.now()
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        return None
    step = matching_step(device.secret, code, now=now)
    if step is None:
        return None
    device.confirmed_at = now
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, digest=_recovery_digest(c)) for c in codes]
    )
    return codes


@transaction.atomic
def verify(*, user: Any, code: str, now: dt.datetime | None = None) -> bool:
    """The second sign-in step: a current authenticator code or an unused recovery code."""
    now = now or timezone.now()
    device = (
        TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if device is None:
        return False
    step = matching_step(device.secret, code, now=now, after_step=device.last_step)
    if step is not None:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return True
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, digest=_recovery_digest(code))
        .first()
    )
    if recovery is None:
        return False
    recovery.used_at = now
    recovery.save(update_fields=["used_at"])
    return True


@transaction.atomic
def disable(*, user: Any) -> None:
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


def unused_recovery_codes(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
