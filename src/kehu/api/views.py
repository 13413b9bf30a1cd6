"""The signed-in user's own API tokens: list, create (the token is shown once) and revoke.

Mounted by kehu.urls with ``path("account/tokens/", include("kehu.api.urls_tokens"))``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kehu.api.auth import issue_token, revoke_token
from kehu.core.models import ApiToken

# Plenty for scripts and integrations; a cap stops a runaway script from filling the table.
MAX_ACTIVE_TOKENS = 25


def _own_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    user: Any = request.user  # login_required: a real user, never AnonymousUser
    return ApiToken.objects.filter(user=user)


def _page(request: HttpRequest, *, new_token: str = "", status: int = 200) -> HttpResponse:
    tokens = _own_tokens(request).order_by("revoked_at", "-created_at")
    return render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "new_token": new_token, "max_tokens": MAX_ACTIVE_TOKENS},
        status=status,
    )


@never_cache  # the page that shows a new token must not land in any cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    active = _own_tokens(request).filter(revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        messages.error(request, _("Revoke a token you no longer use first."))
        return _page(request, status=400)
    # Rendered straight into the response, not redirected via the session: the raw token
    # is never stored anywhere, not even for one request.
    _token, raw = issue_token(user=request.user, name=request.POST.get("name", ""))
    return _page(request, new_token=raw)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is 404, as if it did not exist.
    token = get_object_or_404(_own_tokens(request), pk=pk)
    revoke_token(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
