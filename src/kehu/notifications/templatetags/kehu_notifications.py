from __future__ import annotations

from typing import Any

from django import template

from kehu.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_bell_link.html", takes_context=True)
def notification_bell(context: Any) -> dict[str, Any]:
    user = getattr(context.get("request"), "user", None)
    count = selectors.unread_count(user) if user is not None else 0
    return {"count": count, "more": count > selectors.BELL_CAP, "cap": selectors.BELL_CAP}
