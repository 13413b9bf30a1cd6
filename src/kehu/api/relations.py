"""Relations between customers (A4), read from either end.

A relation is only shown, created or deleted when the caller may see the customers at both
ends: a rep must not learn, through a relation, of a customer outside their book.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Router, Status

from kehu.api.common import ApiRequest, visible_customer
from kehu.api.errors import Conflict
from kehu.api.schemas import READ_ERRORS, WRITE_ERRORS, RelationIn, RelationOut
from kehu.core import permissions, validators
from kehu.core.permissions import Action
from kehu.customers import selectors, services
from kehu.customers.models import Customer, Relation

router = Router(tags=["relations"])


def relation_out(relation: Relation, *, here: int, other: Customer) -> dict[str, Any]:
    return {
        "id": relation.pk,
        "kind": relation.kind,
        "label": relation.label_from(here),
        "direction": "out" if relation.from_customer_id == here else "in",
        "other": {"id": other.pk, "name": other.name},
        "role": relation.role,
        "since": relation.since,
        "note": relation.note,
        "created_at": relation.created_at,
    }


@router.get("/customers/{customer_id}/relations", response={200: list[RelationOut], **READ_ERRORS})
def list_relations(request: ApiRequest, customer_id: int) -> list[dict[str, Any]]:
    """Both directions: "parent company of X" here is "subsidiary of" on X."""
    customer = visible_customer(request.auth, customer_id)
    rows = selectors.customer_relations(customer=customer, user=request.auth)
    return [relation_out(r, here=customer.pk, other=other) for r, other, _label in rows]


@router.post("/customers/{customer_id}/relations", response={201: RelationOut, **WRITE_ERRORS})
def create_relation(request: ApiRequest, customer_id: int, payload: RelationIn) -> Status:
    """Relate this customer (the subject) to ``other_id``: "<this> parent_of <other>"."""
    user = request.auth
    permissions.require(user, Action.CHANGE)
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.is_archived:
            raise Conflict("The customer is archived; restore it first.")
        errors: dict[str, list[ValidationError]] = {}
        kind = since = None
        try:
            kind = validators.clean_choice(payload.kind, Relation.Kind.choices)
            if not kind:
                raise ValidationError("Choose a relation.", code="required")
        except ValidationError as exc:
            errors["kind"] = exc.error_list
        try:
            since = validators.clean_date(payload.since)
        except ValidationError as exc:
            errors["since"] = exc.error_list
        # Not visible and not existing read the same: no leak through the error message.
        other = permissions.visible_customers(user).filter(pk=payload.other_id).first()
        if other is None or other.pk == customer.pk:
            errors["other_id"] = [
                ValidationError("No such customer, or it is this customer.", code="other")
            ]
        elif (
            kind
            and Relation.objects.filter(
                from_customer=customer, to_customer=other, kind=kind
            ).exists()
        ):
            errors["kind"] = [ValidationError("This relation exists already.", code="unique")]
        if errors:
            raise ValidationError(errors)
        assert other is not None and kind is not None
        relation = services.relation_create(
            from_customer=customer,
            to_customer=other,
            kind=kind,
            role=(payload.role or "").strip(),
            since=since,
            note=(payload.note or "").strip(),
            by=user,
        )
    return Status(201, relation_out(relation, here=customer.pk, other=other))


@router.delete(
    "/customers/{customer_id}/relations/{relation_id}", response={204: None, **WRITE_ERRORS}
)
def delete_relation(request: ApiRequest, customer_id: int, relation_id: int) -> Status:
    user = request.auth
    permissions.require(user, Action.DELETE_RELATION)
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        relation = selectors.customer_relation(
            customer=customer, pk=relation_id, user=user, action=Action.DELETE_RELATION
        )
        if relation is None:
            raise Http404
        services.relation_delete(relation=relation, by=user)
    return Status(204, None)
