"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any, empty: str = "—") -> str:
    """A user's full name, else username; ``empty`` for no user (an unassigned customer)."""
    if user is None:
        return empty
    return user.get_full_name() or user.username
