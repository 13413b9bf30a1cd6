"""The surveys app's answers to ``kehu.core.permissions.can`` (registered from apps.py).

Responses and invitations are the customer's: whoever sees the customer sees them, except
partner users (a company's satisfaction data is not the dealer's business). Results across
customers are reports (``see_reports``); defining surveys is ``configure``; inviting a
customer is ``change`` on the customer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.surveys.models import Invitation, Response, Survey


def _staff(user: Any) -> bool:
    role = permissions.role_of(user)
    return role is not None and role != Role.PARTNER


def customer_record_rule(user: Any, action: Action, obj: Any) -> bool:
    return _staff(user) and permissions.can_see_customer(user, obj.customer_id)


def customer_records_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    if not _staff(user):
        return qs.none()
    condition = permissions.visibility_filter(user)
    if condition is None:
        return qs.none()
    if not condition:
        return qs
    visible = permissions.visible_customers(user, include_archived=True)
    return qs.filter(customer__in=visible.values("id"))


def survey_rule(user: Any, action: Action, survey: Survey) -> bool:
    return _staff(user)


def surveys_allowed(qs: QuerySet, user: Any, action: Action) -> QuerySet:
    return qs if _staff(user) else qs.none()


def register() -> None:
    permissions.register(Response, obj=customer_record_rule, queryset=customer_records_allowed)
    permissions.register(Invitation, obj=customer_record_rule, queryset=customer_records_allowed)
    permissions.register(Survey, obj=survey_rule, queryset=surveys_allowed)
