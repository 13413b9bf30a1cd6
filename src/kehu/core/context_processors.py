from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions

# (url name, label, who sees the entry). A capability adds its entry here.
NAV = [
    ("insights:report", _("Value"), permissions.can_see_reports),
    ("quality:home", _("Data quality"), permissions.can_edit),
    ("imports:list", _("Imports"), permissions.can_edit),
    ("admin:index", _("Administration"), lambda user: bool(getattr(user, "is_staff", False))),
]


def _nav(request) -> list[dict]:
    items = []
    user = getattr(request, "user", None)
    for name, label, allowed in NAV:
        if not allowed(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return items


def kehu(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "kehu_role": permissions.role_of(user),
        "kehu_can_see_reports": permissions.can_see_reports(user),
        "kehu_can_edit": permissions.can_edit(user),
        "kehu_nav": _nav(request) if user is not None and user.is_authenticated else [],
    }
