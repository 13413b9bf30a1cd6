from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kehu.core.models import Profile


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the UI language; for a signed-in user it is kept on their profile."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session["kehu_language"] = language
        if request.user.is_authenticated:
            Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "core/profile.html", {"profile": getattr(request.user, "profile", None)})
