"""``{% can 'change' customer as may_change %}``: templates ask the same ``permissions.can``
as views, API and exports, instead of flags each view computes its own way."""

from __future__ import annotations

from typing import Any

from django import template

from kehu.core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    return permissions.can(getattr(request, "user", None), action, obj)
