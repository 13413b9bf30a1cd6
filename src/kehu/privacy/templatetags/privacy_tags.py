"""The privacy buttons on the customer page, shown only to the roles that may use them."""

from __future__ import annotations

from typing import Any

from django import template

from kehu.privacy import rules

register = template.Library()


@register.inclusion_tag("privacy/_actions.html", takes_context=True)
def privacy_actions(context: dict[str, Any], customer: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "customer": customer,
        # The page already checked visibility: the role decides here.
        "can_export": rules.may_export(user),
        "can_erase": rules.may_erase(user),
    }
