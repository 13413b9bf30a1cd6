from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kehu.core import permissions
from kehu.core.permissions import Action

# (url name, label, the action that shows the entry; None: staff only). A capability adds its
# entry here.
NAV = [
    ("today", _("Today"), Action.VIEW),
    ("service:queue", _("Service"), Action.VIEW),
    ("knowledge:list", _("Knowledge base"), Action.VIEW),
    ("insights:report", _("Value"), Action.SEE_REPORTS),
    ("insights:at_risk", _("At risk"), Action.VIEW),
    ("insights:churn_report", _("Churn"), Action.SEE_REPORTS),
    ("retention:policy", _("Retention"), Action.SEE_REPORTS),
    ("surveys:results", _("Surveys"), Action.SEE_REPORTS),
    ("quality:home", _("Data quality"), Action.CHANGE),
    ("imports:list", _("Imports"), Action.CHANGE),
    ("development:leads", _("Leads"), Action.VIEW),
    ("dealers:list", _("Dealers"), Action.VIEW_ONBOARDING),
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
    # Only the longest matching entry is active: /insights/at-risk/ is not also "Value".
    longest = max((len(i["url"]) for i in items if i["active"]), default=0)
    for item in items:
        item["active"] = item["active"] and len(item["url"]) == longest
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
