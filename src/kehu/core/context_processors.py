from __future__ import annotations

from django.conf import settings

from kehu.core import permissions


def kehu(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "kehu_role": permissions.role_of(user),
        "kehu_can_see_reports": permissions.can_see_reports(user),
        "kehu_can_edit": permissions.can_edit(user),
    }
