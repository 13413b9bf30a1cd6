"""Who may see and change what: the one choke point every page, endpoint, export and search
goes through (``visible_customers``), plus the per-action checks.

Rules (A7 and issue #2):
- administrators see everything;
- managers see the customers of the teams they manage and of their own team;
- sales reps see their own and their team's customers;
- service agents serve whoever calls, so they see every customer (KEHU_SERVICE_SEES_ALL);
- analysts see every customer read-only, with personal data masked;
- channel-partner users see only the customers shared with their partner;
- KEHU_ALL_STAFF_SEE_ALL opens the whole database to every staff role.
Archived and merged-away customers drop out of lists and searches unless asked for
(``include_archived``); whoever may see one can still open it by id, read-only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kehu.core.models import Role

STAFF_ROLES = {Role.ADMIN, Role.MANAGER, Role.SALES, Role.SERVICE}
EDIT_ROLES = {Role.ADMIN, Role.MANAGER, Role.SALES, Role.SERVICE}
MASKED_ROLES = {Role.ANALYST}


def role_of(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def _profile(user: Any):
    return getattr(user, "profile", None)


def visibility_filter(user: Any) -> Q | None:
    """A Q over Customer for what ``user`` may see; None means nothing at all."""
    role = role_of(user)
    if role is None:
        return None
    if role in {Role.ADMIN, Role.ANALYST}:
        return Q()
    if role == Role.PARTNER:
        profile = _profile(user)
        if profile is None or profile.partner_id is None:
            return None
        return Q(shares__partner_id=profile.partner_id)
    if getattr(settings, "KEHU_ALL_STAFF_SEE_ALL", False):
        return Q()
    if role == Role.SERVICE and getattr(settings, "KEHU_SERVICE_SEES_ALL", True):
        return Q()
    profile = _profile(user)
    team_ids: set[int] = set()
    if profile is not None and profile.team_id:
        team_ids.add(profile.team_id)
    if role == Role.MANAGER:
        team_ids.update(user.managed_teams.values_list("id", flat=True))
    condition = Q(owner_id=user.pk)
    if team_ids:
        condition |= Q(team_id__in=sorted(team_ids))
    return condition


def visible_customers(user: Any, *, include_archived: bool = False) -> QuerySet:
    from kehu.customers.models import Customer

    condition = visibility_filter(user)
    if condition is None:
        return Customer.objects.none()
    qs = Customer.objects.filter(condition)
    if role_of(user) == Role.PARTNER:
        # The share join can't produce duplicates (unique per customer/partner), no distinct.
        pass
    if not include_archived:
        qs = qs.filter(is_archived=False)
    return qs


def can_see_customer(user: Any, customer_id: int) -> bool:
    return visible_customers(user, include_archived=True).filter(pk=customer_id).exists()


def can_edit(user: Any) -> bool:
    return role_of(user) in EDIT_ROLES


def can_log_interaction(user: Any) -> bool:
    return role_of(user) in EDIT_ROLES | {Role.PARTNER}


def can_reassign(user: Any) -> bool:
    return role_of(user) in {Role.ADMIN, Role.MANAGER}


def can_archive(user: Any) -> bool:
    return role_of(user) in {Role.ADMIN, Role.MANAGER}


def can_see_reports(user: Any) -> bool:
    return role_of(user) in {Role.ADMIN, Role.MANAGER, Role.ANALYST}


def masks_personal_data(user: Any) -> bool:
    return role_of(user) in MASKED_ROLES


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def mask(value: str, *, keep_start: int = 0, keep_end: int = 0) -> str:
    if not value:
        return value
    value = str(value)
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return mask(value)
    local, domain = value.split("@", 1)
    return mask(local, keep_start=1) + "@" + domain
