"""Who may export or erase a person's data: the one place the privacy app asks.

Both are ``kehu.core.permissions.can`` (the actions "export_personal_data" and "erase"):

- export: administrators, and managers for the customers they see (their teams'): a
  request from the person is answered by whoever is responsible for them;
- erase: administrators only (irreversible);
- sales reps, service agents, analysts (masked data) and partner users: never.
"""

from __future__ import annotations

from typing import Any

from kehu.core.permissions import Action, can


def may_export(user: Any, customer: Any = None) -> bool:
    """Given no customer: may the role ever export personal data?"""
    return can(user, Action.EXPORT_PERSONAL_DATA, customer)


def may_erase(user: Any, customer: Any = None) -> bool:
    return can(user, Action.ERASE, customer)
