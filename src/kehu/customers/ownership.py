"""Who may be given customers, and the public pool (公海) rules.

An administrator may hand a customer to any active sales rep, manager or administrator; a
manager to themselves and the people of the teams they manage. ``permissions.can(user,
Action.REASSIGN, target_user)`` asks this (registered in ``customers.rules``), and the picker
offers exactly :func:`assignable_owners`.

The pool: customers without an owner. A customer goes back to it when its owner has logged no
contact with it for ``KEHU_POOL_DAYS`` days (and has owned it that long); a rep claims from it,
at most ``KEHU_POOL_CLAIMS_PER_DAY`` a day. Every move is an owner period and an audit event
(``services.customer_reassign``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kehu.core import permissions
from kehu.core.models import Role
from kehu.customers.models import Customer, Interaction, OwnerHistory

OWNER_ROLES = (Role.SALES, Role.MANAGER, Role.ADMIN)
POOL_REASON = "pool"
CLAIM_REASON = "claimed"


def pool_days() -> int:
    return int(getattr(settings, "KEHU_POOL_DAYS", 30))


def claims_per_day() -> int:
    return int(getattr(settings, "KEHU_POOL_CLAIMS_PER_DAY", 20))


def _owners() -> QuerySet:
    return get_user_model().objects.filter(is_active=True, profile__role__in=OWNER_ROLES)


def assignees_allowed(qs: QuerySet, user: Any, action: permissions.Action) -> QuerySet:
    """``qs`` (users) narrowed to those ``user`` may give customers to."""
    role = permissions.role_of(user)
    qs = qs.filter(is_active=True, profile__role__in=OWNER_ROLES)
    if role == Role.ADMIN:
        return qs
    if role == Role.MANAGER:
        return qs.filter(Q(pk=user.pk) | Q(profile__team__in=user.managed_teams.all()))
    return qs.none()


def assignee_rule(user: Any, action: permissions.Action, target: Any) -> bool:
    return assignees_allowed(_owners(), user, action).filter(pk=target.pk).exists()


def assignable_owners(user: Any, q: str = "") -> QuerySet:
    """The people ``user`` may hand customers to, with their team, by name; ``q`` narrows
    by username, first or last name or team."""
    qs = assignees_allowed(_owners(), user, permissions.Action.REASSIGN)
    q = q.strip()[:50]
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(profile__team__name__icontains=q)
        )
    return qs.select_related("profile__team").order_by("profile__team__name", "username")


def owner_label(user: Any) -> str:
    name = user.get_full_name() or user.username
    if name != user.username:
        name = f"{name} ({user.username})"
    team = getattr(getattr(user, "profile", None), "team", None)
    return f"{name} · {team.name}" if team else name


def due_for_pool(*, now: dt.datetime, days: int) -> QuerySet:
    """Owned customers whose owner has logged no contact with them for ``days`` days and has
    owned them at least that long."""
    cutoff = now - dt.timedelta(days=days)
    contacted = Interaction.objects.filter(
        customer_id=OuterRef("pk"), user_id=OuterRef("owner_id"), occurred_at__gte=cutoff
    )
    newly_owned = OwnerHistory.objects.filter(
        customer_id=OuterRef("pk"), ended_at__isnull=True, started_at__gte=cutoff
    )
    return (
        Customer.objects.filter(
            owner__isnull=False,
            is_archived=False,
            merged_into__isnull=True,
            created_at__lt=cutoff,
        )
        .exclude(Exists(contacted))
        .exclude(Exists(newly_owned))
    )


def pool(user: Any) -> QuerySet:
    """The pool as ``user`` sees it (visibility as everywhere)."""
    return permissions.visible_customers(user).filter(owner__isnull=True)


def claims_today(user: Any, *, now: dt.datetime) -> int:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return OwnerHistory.objects.filter(
        owner=user, changed_by=user, reason=CLAIM_REASON, started_at__gte=start
    ).count()
