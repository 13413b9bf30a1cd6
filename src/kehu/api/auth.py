"""Who is calling: per-user bearer tokens for scripts and integrations, the Django session
(with CSRF) for the same-origin browser, and the audit actor for everything the call writes.

A token is shown once when it is issued; the database keeps only its SHA-256 digest (so a
leaked backup does not leak working tokens) and its first 8 characters (so a user can tell
their tokens apart in the list).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import string
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from kehu.api.common import ApiRequest, ref
from kehu.api.schemas import Error, Me
from kehu.core import permissions, throttle
from kehu.core.audit import acting_as
from kehu.core.models import ApiToken, Role
from kehu.core.permissions import Action

PREFIX_LENGTH = 8
# Letters and digits only (43 × log2(62) ≈ 256 bits): a double-click selects the whole token,
# and a prefix never starts with "-", which the CLI would read as an option.
TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 43
# Writing last_used_at on every call would turn each read into a write; a minute is exact
# enough to tell a live token from a forgotten one.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token, which is never stored
    and so cannot be shown again."""
    name = (name or "").strip()[:100] or "API token"
    raw = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:PREFIX_LENGTH], digest=digest_of(raw)
    )
    return token, raw


def revoke_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def user_for_token(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None (unknown, revoked, user inactive)."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(digest=digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if permissions.role_of(token.user) == Role.CUSTOMER:
        # Portal users (kehu.portal) have no API: a token issued to one by mistake is refused.
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # update(), not save(): no audit noise and no race with a concurrent revoke.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``. Unknown tokens are counted per address: too many
    and that address's token attempts are refused (429) for a while, so tokens cannot be
    guessed at speed (see kehu.core.throttle)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        address = throttle.client_address(request)
        if address and throttle.wait_seconds(throttle.Scope.TOKEN, address):
            raise HttpError(429, "Too many invalid API tokens from this address; try later.")
        user = user_for_token(token.strip())
        if user is None and address:
            throttle.record_failure(throttle.Scope.TOKEN, address)
        return user


class SessionWithCsrf(APIKeyCookie):
    """The signed-in browser. ninja's own SessionAuth checks CSRF before it knows whether
    there is a session at all, which turns an anonymous POST into a 403 instead of a 401;
    here an anonymous caller is simply not authenticated, and a signed-in one must send the
    CSRF token on unsafe methods exactly as the web pages do."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed.")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        return None  # pragma: no cover - __call__ does the work


def act_as_caller(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Operation decorator: whatever the view writes is audited as the authenticated caller
    with source "api" (the web middleware only knows the session user, not token users)."""

    @functools.wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with acting_as(getattr(request, "auth", None), "api"):
            return view_func(request, *args, **kwargs)

    return wrapper


# --- GET /me: lets a client check its token and learn what it may do -------------------------

router = Router(tags=["account"])


@router.get("/me", response={200: Me, 401: Error})
def me(request: ApiRequest) -> dict[str, Any]:
    user = request.auth
    profile = getattr(user, "profile", None)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or "",
        "role": permissions.role_of(user),
        "team": ref(profile.team) if profile else None,
        "partner": ref(profile.partner) if profile else None,
        "can_edit": permissions.can(user, Action.CHANGE),
        "can_log_interaction": permissions.can(user, Action.LOG_INTERACTION),
        "masked": not permissions.can(user, Action.SEE_PERSONAL_DATA),
    }
