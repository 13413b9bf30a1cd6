"""The UI language follows the user: their profile's choice, else the browser's."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """Before authentication: a language picked on the login page (session) or the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get("kehu_language") or translation.get_language_from_request(
            request
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class UserLanguageActivateMiddleware:
    """After authentication: the language stored on the user's profile wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None)
            if profile is not None and profile.language:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = profile.language
        return self.get_response(request)


# A strict policy: every script is a static file of our own (htmx and ECharts are vendored),
# no inline script or event handler anywhere. Styles allow 'unsafe-inline' because templates
# size bars and charts with style attributes and htmx adds its indicator style; a style
# attribute cannot run code.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response, and ``Cache-Control: no-store, private``
    on every response to a signed-in caller (pages and API carry personal data that must not
    stay in a shared or browser cache). Static files never get here: WhiteNoise answers
    them earlier in the chain, with their own long-lived caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or getattr(request, "auth", None) is not None:
            response.headers["Cache-Control"] = "no-store, private"
        return response


class TwoFactorRequiredMiddleware:
    """With KEHU_REQUIRE_2FA, a signed-in administrator or manager without an enabled
    authenticator can only reach the set-up page (and sign out) until they enrol."""

    ALLOWED_PREFIXES = ("/account/two-factor/", "/logout/", "/language/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from kehu.core import totp

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and totp.is_required_for(user)
            and totp.enabled_device(user) is None
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": str(_("Set up two-factor sign-in first."))}, status=403
                )
            return redirect("two_factor")
        return self.get_response(request)
