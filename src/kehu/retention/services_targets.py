"""Writes of retention targets (D6): a goal for a month, a team or rep, one indicator.

Administrators set any target; managers those of the teams they manage and of the people in
them. Setting a target again replaces its value (the audit trail keeps the old one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kehu.core import audit, permissions
from kehu.core.models import Role, Team
from kehu.core.permissions import Action
from kehu.retention.models import Target

PERCENT = {Target.Metric.RETENTION_RATE, Target.Metric.ON_TIME}


def managed_team_ids(user: Any) -> set[int]:
    """The teams whose targets ``user`` may set; None-like empty set for nobody, every team
    for administrators (checked by the caller)."""
    if permissions.role_of(user) == Role.ADMIN:
        return set(Team.objects.values_list("id", flat=True))
    if permissions.role_of(user) != Role.MANAGER:
        return set()
    return set(user.managed_teams.values_list("id", flat=True))


def may_set(by: Any, *, team: Team | None, user: Any) -> bool:
    if not permissions.can(by, Action.EDIT_RETENTION_TARGETS):
        return False
    if permissions.role_of(by) == Role.ADMIN:
        return True
    teams = managed_team_ids(by)
    if team is not None:
        return team.pk in teams
    if user is not None:
        profile = getattr(user, "profile", None)
        return profile is not None and profile.team_id in teams
    return False  # the company's own targets: administrators only


def _value(metric: str, raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("Enter a number.")}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"value": _("Enter a number of at least 0.")})
    if metric in PERCENT and value > 100:
        raise ValidationError({"value": _("A percentage is at most 100.")})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
@audit.with_actor
def target_set(
    *,
    month: dt.date,
    metric: str,
    value: Any,
    by: Any,
    team: Team | None = None,
    user: Any = None,
) -> Target:
    """The target of ``team`` or ``user`` (neither: the company) for ``month`` and
    ``metric``, created or replaced."""
    if metric not in Target.Metric.values:
        raise ValidationError({"metric": _("Unknown indicator.")})
    if team is not None and user is not None:
        raise ValidationError(_("A target is for a team or for a rep, not both."))
    amount = _value(metric, value)
    if not may_set(by, team=team, user=user):
        raise PermissionDenied(_("You may not set this target."))
    first = month.replace(day=1)
    found = (
        Target.objects.select_for_update()
        .filter(month=first, metric=metric, team=team, user=user)
        .first()
    )
    if found is None:
        return Target.objects.create(
            month=first, metric=metric, team=team, user=user, value=amount, set_by=by
        )
    found.value = amount
    found.set_by = by
    found.save()
    return found
