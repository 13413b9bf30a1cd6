"""The boundary between the portal and the staff application: a signed-in portal user
(role ``customer``) reaches only /portal/ (and the language switch, sign-out and static
files). Every other page redirects to the portal; the API answers 403. This is on top of the
permission rules (a portal user's role may do no staff action), so a staff page that forgets
a check still does not open to customers."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kehu.core.models import Role
from kehu.core.permissions import role_of

ALLOWED_PREFIXES = ("/portal/", "/language/", "/static/", "/favicon")


class PortalBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and role_of(user) == Role.CUSTOMER
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": str(_("Not available to portal users."))}, status=403
                )
            return redirect("portal:home")
        return self.get_response(request)
