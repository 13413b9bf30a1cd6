"""Interactions on every channel (A3, A6): per customer, across all visible customers, and
logging a new one (``can_log_interaction``: staff and channel-partner users, not analysts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from kehu.api.common import (
    ApiRequest,
    paginate,
    ref,
    user_ref,
    visible_customer,
    visible_customer_ids,
)
from kehu.api.errors import Conflict
from kehu.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    InteractionIn,
    InteractionOut,
    InteractionPage,
    InteractionQuery,
)
from kehu.core import permissions, validators
from kehu.core.models import Role
from kehu.core.permissions import Action
from kehu.customers import services
from kehu.customers.models import Channel, Department, Interaction
from kehu.customers.rules import notes_shown

router = Router(tags=["interactions"])

CHOICES: dict[str, Any] = {
    "channel": Channel.choices,
    "direction": Interaction.Direction.choices,
    "department": Department.choices,
    "outcome": Interaction.Outcome.choices,
}
# The entry form's rule: a day of slack for clocks and time zones, no more.
FUTURE_SLACK = dt.timedelta(days=1)


def interaction_out(i: Interaction, *, user: Any) -> dict[str, Any]:
    """Notes a partner user may not read (another department's) come out empty, as on the
    customer page (``rules.notes_shown``)."""
    return {
        "id": i.pk,
        "customer": ref(i.customer),
        "channel": i.channel,
        "direction": i.direction,
        "department": i.department,
        "subject": i.subject,
        "notes": i.notes if notes_shown(user, i) else "",
        "user": user_ref(i.user),
        "partner": ref(i.partner),
        "occurred_at": i.occurred_at,
        "duration_minutes": i.duration_minutes,
        "outcome": i.outcome,
        "created_at": i.created_at,
    }


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _filtered(qs: QuerySet, f: InteractionQuery) -> QuerySet:
    simple = {
        "customer_id": f.customer,
        "channel": f.channel,
        "department": f.department,
        "direction": f.direction,
        "outcome": f.outcome,
        "user_id": f.user,
    }
    qs = qs.filter(**{k: v for k, v in simple.items() if v not in (None, "")})
    if f.since is not None:
        qs = qs.filter(occurred_at__gte=_aware(f.since))
    if f.until is not None:
        qs = qs.filter(occurred_at__lt=_aware(f.until))
    return qs.select_related("customer", "user", "partner").order_by("-occurred_at", "-id")


@router.get("/interactions", response={200: InteractionPage, **READ_ERRORS})
def list_interactions(request: ApiRequest, filters: Query[InteractionQuery]) -> dict[str, Any]:
    """Interactions with every customer you may see, newest first."""
    qs = Interaction.objects.filter(customer__in=visible_customer_ids(request.auth))
    return paginate(
        _filtered(qs, filters),
        limit=filters.limit,
        offset=filters.offset,
        render=lambda i: interaction_out(i, user=request.auth),
    )


@router.get("/interactions/{interaction_id}", response={200: InteractionOut, **READ_ERRORS})
def get_interaction(request: ApiRequest, interaction_id: int) -> dict[str, Any]:
    interaction = (
        Interaction.objects.filter(customer__in=visible_customer_ids(request.auth))
        .select_related("customer", "user", "partner")
        .filter(pk=interaction_id)
        .first()
    )
    if interaction is None:
        raise Http404
    return interaction_out(interaction, user=request.auth)


@router.get("/customers/{customer_id}/interactions", response={200: InteractionPage, **READ_ERRORS})
def list_customer_interactions(
    request: ApiRequest, customer_id: int, filters: Query[InteractionQuery]
) -> dict[str, Any]:
    customer = visible_customer(request.auth, customer_id)
    filters.customer = None  # the path decides
    qs = Interaction.objects.filter(customer=customer)
    return paginate(
        _filtered(qs, filters),
        limit=filters.limit,
        offset=filters.offset,
        render=lambda i: interaction_out(i, user=request.auth),
    )


def _default_department(user: Any) -> str:
    role = permissions.role_of(user)
    if role == Role.SERVICE:
        return Department.SERVICE
    if role == Role.PARTNER:
        return Department.PARTNER
    return Department.SALES


def clean_interaction(payload: InteractionIn, *, user: Any) -> dict[str, Any]:
    data = payload.model_dump()
    fields: dict[str, Any] = {
        "subject": data["subject"].strip(),
        "notes": (data["notes"] or "").strip(),
        "duration_minutes": data["duration_minutes"],
        "occurred_at": _aware(data["occurred_at"]) if data["occurred_at"] else timezone.now(),
    }
    errors: dict[str, list[ValidationError]] = {}
    for name, choices in CHOICES.items():
        try:
            fields[name] = validators.clean_choice(data[name], choices)
        except ValidationError as exc:
            errors[name] = exc.error_list
    if not fields.get("direction"):
        fields["direction"] = Interaction.Direction.OUTBOUND
    if not fields.get("department") and "department" not in errors:
        fields["department"] = _default_department(user)
    if fields["occurred_at"] > timezone.now() + FUTURE_SLACK:
        errors["occurred_at"] = [
            ValidationError("An interaction cannot be logged in the future.", code="future")
        ]
    if not fields["subject"]:
        errors["subject"] = [ValidationError("A subject is required.", code="required")]
    if errors:
        raise ValidationError(errors)
    return fields


@router.post(
    "/customers/{customer_id}/interactions", response={201: InteractionOut, **WRITE_ERRORS}
)
def create_interaction(request: ApiRequest, customer_id: int, payload: InteractionIn) -> Status:
    """Log a call, visit, e-mail … with this customer. Partner users' entries carry their
    partner."""
    user = request.auth
    permissions.require(user, Action.LOG_INTERACTION)
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.is_archived:
            raise Conflict("The customer is archived; restore it first.")
        fields = clean_interaction(payload, user=user)
        interaction = services.interaction_log(customer=customer, by=user, **fields)
    return Status(201, interaction_out(interaction, user=user))
