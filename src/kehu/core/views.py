from __future__ import annotations

import math
import time
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kehu.core import throttle, totp
from kehu.core.models import Profile, TotpDevice

# The session key of a sign-in that passed the password and waits for the second step.
PENDING_KEY = "kehu_2fa_pending"
PENDING_SECONDS = 300


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the UI language; kept on the user's profile when they have one.

    A user without a profile keeps the choice in the session only: creating a profile here
    would give them the default role as a side effect of picking a language."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session["kehu_language"] = language
        if request.user.is_authenticated:
            Profile.objects.filter(user=request.user).update(language=language)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/profile.html",
        {
            "profile": getattr(request.user, "profile", None),
            "two_factor_offered": totp.is_offered_to(request.user),
            "two_factor_enabled": totp.enabled_device(request.user) is not None,
        },
    )


# --- signing in ------------------------------------------------------------------------------


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. Please wait %(minutes)d minute and try again.",
        "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


class SignInForm(AuthenticationForm):
    """Django's form, with the throttle's refusal in place of "wrong password" while the
    account or address is locked. Both messages are the same whether the user exists."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            wait = getattr(self.request, "kehu_signin_wait", 0)
            if wait:
                raise ValidationError(wait_message(wait), code="throttled") from None
            raise


def _chosen_language(request: HttpRequest) -> str | None:
    """The language the visitor picked: on the login page (session) or a language cookie."""
    languages = dict(settings.LANGUAGES)
    for choice in (
        request.session.get("kehu_language"),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
    ):
        if choice in languages:
            return choice
    return None


class LoginView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Before sign-in the browser's Accept-Language says little (a team in China often runs
        # English browsers): the deployment's KEHU_LANGUAGE decides unless the visitor chose.
        if not _chosen_language(request):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if totp.enabled_device(user) is None:
            return super().form_valid(form)
        # The password was right; the session is not signed in until the second step.
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("login_verify")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _pending_user(request: HttpRequest) -> tuple[Any | None, dict]:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, {}
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None, {}
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user, pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second sign-in step: an authenticator code or a recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = throttle.client_address(request)
        wait = throttle.signin_wait(user.get_username(), address)
        if wait:
            form.add_error(None, wait_message(wait))
        elif totp.verify(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            target = pending.get("next") or settings.LOGIN_REDIRECT_URL
            return redirect(target)
        else:
            throttle.record_signin_failure(user.get_username(), address)
            form.add_error(None, _("That code is not right, or it was already used."))
    return render(request, "core/login_verify.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- two-factor set-up -----------------------------------------------------------------------


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@sensitive_post_parameters("code", "password")
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol (secret and otpauth:// URI, confirmed with a code, recovery codes shown once),
    or disable (with the password) the authenticator of the signed-in user."""
    user = request.user
    device = totp.enabled_device(user)
    context: dict[str, Any] = {
        "offered": totp.is_offered_to(user) or device is not None,
        "required": totp.is_required_for(user),
        "device": device,
        "code_form": CodeForm(),
        "password_form": PasswordForm(),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "start" and device is None and context["offered"]:
        totp.start_enrolment(user=user)
    elif action == "confirm" and device is None:
        form = CodeForm(request.POST)
        codes = totp.confirm_enrolment(user=user, code=request.POST.get("code", ""))
        if codes is not None:
            return render(request, "core/two_factor_codes.html", {"codes": codes})
        form.add_error(None, _("That code is not right. Check the clock of your device."))
        context["code_form"] = form
    elif action == "disable" and device is not None:
        return _disable(request, context)
    return _render_two_factor(request, context)


def _disable(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    user = request.user
    form = PasswordForm(request.POST)
    address = throttle.client_address(request)
    if context["required"]:
        form.add_error(None, _("Two-factor sign-in is required for your role."))
    elif throttle.signin_wait(user.get_username(), address):
        form.add_error(None, wait_message(throttle.signin_wait(user.get_username(), address)))
    elif form.is_valid() and user.check_password(form.cleaned_data["password"]):
        totp.disable(user=user)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("two_factor")
    else:
        throttle.record_signin_failure(user.get_username(), address)
        form.add_error(None, _("That password is not right."))
    context["password_form"] = form
    return _render_two_factor(request, context)


def _render_two_factor(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    user = request.user
    if context["device"] is None:
        pending = TotpDevice.objects.filter(
            user_id=cast(int, user.pk), confirmed_at__isnull=True
        ).first()
        if pending is not None:
            context["pending"] = pending
            context["uri"] = totp.provisioning_uri(
                pending.secret, account=user.get_username(), issuer=settings.SITE_NAME
            )
    else:
        context["recovery_left"] = totp.unused_recovery_codes(user)
    return render(request, "core/two_factor.html", context)
