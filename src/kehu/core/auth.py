"""The password backend every sign-in form goes through (Kehu's, the admin's, any later
one), so throttling cannot be bypassed by finding another login page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from kehu.core import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend, refusing to even check a password while the account (from this
    address) or the address is locked, and counting each wrong one.

    Without a request (management commands, the test client's ``login``) there is no
    address to count against, and nothing is throttled."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any | None:
        address = throttle.client_address(request)
        if username is None:
            username = kwargs.get(self._username_field())
        wait = throttle.signin_wait(username, address)
        if wait:
            if request is not None:
                request.kehu_signin_wait = wait  # type: ignore[attr-defined]
            # PermissionDenied stops Django from asking any other backend.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None:
            throttle.record_signin_failure(username, address)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


@receiver(user_logged_in, dispatch_uid="kehu-signin-success")
def _clear_account_count(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any):
    # Only a completed sign-in (after the second step, if any) clears the account's count.
    throttle.record_signin_success(user.get_username(), throttle.client_address(request))
