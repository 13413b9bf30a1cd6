from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions
from kehu.core.permissions import Action

# (url name, label, the action that shows the entry; None: staff only). A capability adds its
# entry here.
NAV = [
    ("insights:report", _("Value"), Action.SEE_REPORTS),
    ("quality:home", _("Data quality"), Action.CHANGE),
    ("imports:list", _("Imports"), Action.CHANGE),
    ("admin:index", _("Administration"), None),
]


def _nav(request) -> list[dict]:
    items = []
    user = getattr(request, "user", None)
    for name, label, action in NAV:
        allowed = permissions.can(user, action) if action else getattr(user, "is_staff", False)
        if not allowed:
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
        "kehu_can_see_reports": permissions.can(user, Action.SEE_REPORTS),
        "kehu_can_edit": permissions.can(user, Action.CHANGE),
        "kehu_nav": _nav(request) if user is not None and user.is_authenticated else [],
    }
