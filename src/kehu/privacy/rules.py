"""Who may export or erase a person's data: the one place the privacy app asks.

NOTE for kehu.core.permissions.can (engineer H3, issue #9 §3): these two answers belong
there as the actions "export_personal_data" and "erase"; when they exist, these functions
become ``can(user, "export_personal_data", customer)`` / ``can(user, "erase", customer)``
and nothing else in this app changes.

- export: administrators, and managers for the customers they see (their teams'): a
  request from the person is answered by whoever is responsible for them;
- erase: administrators only (irreversible);
- sales reps, service agents, analysts (masked data) and partner users: never.
"""

from __future__ import annotations

from typing import Any

from kehu.core.models import Role
from kehu.core.permissions import role_of, visible_customers

EXPORT_ROLES = frozenset({Role.ADMIN, Role.MANAGER})
ERASE_ROLES = frozenset({Role.ADMIN})


def _visible(user: Any, customer: Any) -> bool:
    return visible_customers(user, include_archived=True).filter(pk=customer.pk).exists()


def may_export(user: Any, customer: Any = None) -> bool:
    """Given no customer: may the role ever export personal data?"""
    if role_of(user) not in EXPORT_ROLES:
        return False
    return customer is None or _visible(user, customer)


def may_erase(user: Any, customer: Any = None) -> bool:
    if role_of(user) not in ERASE_ROLES:
        return False
    return customer is None or _visible(user, customer)
