"""Customers: list with filters and paging, detail, create, update, archive and restore.

Reads start from ``visible_customers`` (via the selectors); writes check the role first
(403: the role may never do this, whichever customer) and then visibility (404: this
customer does not exist for you), then go through kehu.customers.services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from ninja import Header, Query, Router, Status

from kehu.api.common import ApiRequest, paginate, ref, user_ref, visible_customer
from kehu.api.errors import Conflict
from kehu.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    CustomerIn,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    CustomerQuery,
    DuplicateConflict,
    PreconditionFailed,
)
from kehu.core import permissions
from kehu.core.models import Partner, Role
from kehu.core.permissions import Action
from kehu.customers import concurrency, selectors, services
from kehu.customers import fields as customer_fields
from kehu.customers.concurrency import MergedAway
from kehu.customers.models import Customer, Tag
from kehu.customers.money import to_decimal
from kehu.quality.warning import duplicate_warning

router = Router(tags=["customers"])

# The choice lists of the editable fields (for the schema's documentation); every field's
# validator is the field registry's (kehu.customers.fields), shared with the form.
CHOICES: dict[str, Any] = {
    name: customer_fields.field(name).model_field.choices
    for name in customer_fields.EDITABLE
    if customer_fields.field(name).model_field.choices
}
IF_MATCH = Header(
    None,
    alias="If-Match",
    description='The ETag from GET (e.g. "3"): the change applies only to that version',
)
# Who may own customers: the same list the web reassignment form offers.
OWNER_ROLES = (Role.SALES, Role.MANAGER, Role.ADMIN)


# --- input --------------------------------------------------------------------------------


def _clean_value(field: str, value: Any) -> Any:
    if field == "tags":
        return None if value is None else sorted({t.strip() for t in value if t.strip()})
    if field == "contact_points":
        return None if value is None else customer_fields.clean_contact_points(value)
    if field == "partner_id":
        if value is not None and not Partner.objects.filter(pk=value, is_active=True).exists():
            raise ValidationError("No such active channel partner.", code="partner")
        return value
    if field == "owner_id":
        if value is None:
            return None
        owner = (
            get_user_model()
            .objects.filter(pk=value, is_active=True, profile__role__in=OWNER_ROLES)
            .first()
        )
        if owner is None:
            raise ValidationError("No such active sales rep, manager or admin.", code="owner")
        return owner
    return customer_fields.field(field).clean(value)


def clean_customer_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Run the shared validators over the fields present in ``data``; every bad field is
    reported at once (422), not only the first."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for field, value in data.items():
        try:
            cleaned[field] = _clean_value(field, value)
        except ValidationError as exc:
            errors[field] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def _tags(names: list[str] | None) -> list[Tag] | None:
    if names is None:
        return None
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


# --- output -------------------------------------------------------------------------------


REFS: dict[str, Callable[[Any], Any]] = {"owner": user_ref, "team": ref, "partner": ref}
MONEY = frozenset({"profit", "clv", "value_at_risk"})
# Probabilities: four places are all a model's estimate is worth.
ROUNDED = frozenset({"churn_probability"})


def _raw(c: Customer, name: str) -> Any:
    if name in REFS:
        return REFS[name](getattr(c, name))
    if name == "tags":
        return sorted(t.name for t in c.tags.all())
    if name == "aliases":
        return [str(a) for a in c.aliases or []]
    value = getattr(c, name)
    if name == "birthday" and value is not None:
        return value.isoformat()
    if name in MONEY:
        # A decimal string with two places, as every amount the API writes (orders,
        # payments): no binary-float noise.
        amount = to_decimal(value)
        return None if amount is None else str(amount)
    if name in ROUNDED and value is not None:
        return round(value, 4)
    return value


def customer_out(c: Customer, *, user: Any) -> dict[str, Any]:
    """The customer as ``user`` may see it: the registry's exported fields, personal data
    masked and cost figures left out by the same rule as the pages (``fields.shown_value``)."""
    out: dict[str, Any] = {"id": c.pk}
    for name in customer_fields.names(exported=True):
        if name == "id":
            continue
        value = customer_fields.shown_value(name, _raw(c, name), user=user)
        if name == "birthday" and value == "":
            value = None
        out[name] = value
    out["contact_points"] = [
        customer_fields.shown_contact_point(cp, user=user) for cp in c.contacts.all()
    ]
    out["masked"] = not permissions.can(user, Action.SEE_PERSONAL_DATA)
    out["version"] = c.version
    return out


def _respond(request: ApiRequest, customer: Customer) -> dict[str, Any]:
    return customer_out(customer, user=request.auth)


# --- endpoints ----------------------------------------------------------------------------


@router.get("/customers", response={200: CustomerPage, **READ_ERRORS})
def list_customers(request: ApiRequest, filters: Query[CustomerQuery]) -> dict[str, Any]:
    """Customers you may see, filtered and paged (``limit`` at most 200). Roles that see
    personal data masked search by name only: a phone or e-mail ``q`` is refused (422)."""
    if selectors.search_refused(user=request.auth, q=filters.q):
        raise ValidationError(
            {"q": ["Your role sees personal data masked; search by name, not phone or e-mail."]},
            code="personal_search",
        )
    sort = filters.ordering if filters.ordering in selectors.SORTS else selectors.DEFAULT_SORT
    qs = selectors.customer_list(
        user=request.auth,
        filters=selectors.CustomerFilters(
            q=filters.q.strip(),
            grade=filters.grade,
            tier=filters.tier,
            owner=filters.owner,
            team=filters.team,
            status=filters.status,
            loyalty=filters.loyalty,
            churn=filters.churn,
            city=filters.city.strip(),
            tags=[t for t in filters.tag if t],
            core=filters.core,
            archived=filters.archived,
        ),
        sort=sort,
    )
    if filters.ordering in ("updated", "-updated"):
        # For sync clients: "everything changed since my last run", oldest first.
        order = ("updated_at", "id") if filters.ordering == "updated" else ("-updated_at", "-id")
        qs = qs.order_by(*order)
    if filters.updated_since is not None:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    qs = qs.select_related("partner").prefetch_related("tags", "contacts")
    return paginate(
        qs,
        limit=filters.limit,
        offset=filters.offset,
        render=lambda c: customer_out(c, user=request.auth),
    )


@router.get("/customers/{customer_id}", response={200: CustomerOut, **READ_ERRORS})
def get_customer(request: ApiRequest, customer_id: int, response: HttpResponse) -> dict[str, Any]:
    """The customer; the ``ETag`` header carries its version, for ``If-Match`` on PATCH."""
    customer = visible_customer(request.auth, customer_id)
    response["ETag"] = concurrency.etag(customer)
    return _respond(request, customer)


def _expected_version(if_match: str | None, customer: Customer) -> int | None:
    """The version an ``If-Match`` header names (None: absent or ``*``, no check). Of a
    list of ETags, the one that matches the stored version, if any; an unreadable header
    can match nothing, so it fails like a stale one (412)."""
    if if_match is None or if_match.strip() == "*":
        return None
    versions = [concurrency.parse_version(tag) for tag in if_match.split(",")[:20]]
    if customer.version in versions:
        return customer.version
    return next((v for v in versions if v is not None), 0)


@router.post("/customers", response={201: CustomerOut, **WRITE_ERRORS, 409: DuplicateConflict})
def create_customer(
    request: ApiRequest, payload: CustomerIn, allow_duplicate: bool = False
) -> Status | tuple[int, dict[str, Any]]:
    """Create a customer owned by you (or, for managers and admins, by ``owner_id``).

    A record that probably exists already is refused with 409 and the likely matches in
    ``duplicates``; send ``?allow_duplicate=true`` to create it anyway."""
    user = request.auth
    permissions.require(user, Action.CHANGE)
    if payload.owner_id not in (None, user.pk):
        # Before validation, so a rep cannot probe which user ids exist.
        permissions.require(user, Action.REASSIGN)
    fields = clean_customer_fields(payload.model_dump(exclude_unset=True))
    if not allow_duplicate:
        candidates = duplicate_warning(user=user, fields=fields)
        if candidates:
            return 409, {
                "detail": [
                    {
                        "loc": ["body"],
                        "msg": "This customer probably exists already; "
                        "send allow_duplicate=true to create it anyway.",
                        "type": "duplicate",
                    }
                ],
                "duplicates": [c.as_dict() for c in candidates],
            }
    owner = fields.pop("owner_id", None) or user
    points = fields.pop("contact_points", None)
    with transaction.atomic():
        tags = _tags(fields.pop("tags", None)) or []
        customer = services.customer_create(by=user, owner=owner, tags=tags, **fields)
        if points:
            services.contact_points_replace(customer=customer, by=user, points=points)
    return Status(201, _respond(request, customer))


@router.patch(
    "/customers/{customer_id}",
    response={200: CustomerOut, **WRITE_ERRORS, 412: PreconditionFailed},
)
def update_customer(
    request: ApiRequest,
    customer_id: int,
    payload: CustomerPatch,
    response: HttpResponse,
    if_match: str | None = IF_MATCH,
) -> dict[str, Any]:
    """Change the given fields; ``tags`` replaces the whole set. The owner is changed by
    reassignment on the web, not here.

    Send the ``ETag`` of your GET in ``If-Match``: if the customer changed since, nothing is
    saved and the answer is 412 with the fields changed in between (label, value then, value
    now) and the current version. Without ``If-Match`` the change is applied to whatever is
    stored (last write wins): clients that show a record before changing it should send it.
    A customer merged into another is 409."""
    user = request.auth
    permissions.require(user, Action.CHANGE)
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.merged_into_id:
            raise MergedAway(customer_id=customer.pk, merged_into_id=customer.merged_into_id)
        if customer.is_archived:
            raise Conflict("The customer is archived; restore it first.")
        expected = _expected_version(if_match, customer)
        fields = clean_customer_fields(payload.model_dump(exclude_unset=True))
        tags = _tags(fields.pop("tags", None))
        points = fields.pop("contact_points", None)
        customer = services.customer_update(
            customer=customer, by=user, tags=tags, expected_version=expected, **fields
        )
        if points is not None:
            services.contact_points_replace(customer=customer, by=user, points=points)
    response["ETag"] = concurrency.etag(customer)
    return _respond(request, customer)


@router.post("/customers/{customer_id}/archive", response={200: CustomerOut, **WRITE_ERRORS})
def archive_customer(request: ApiRequest, customer_id: int) -> dict[str, Any]:
    """Hide the customer from lists and search (managers and admins); idempotent."""
    user = request.auth
    permissions.require(user, Action.ARCHIVE)
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if not customer.is_archived:
            customer = services.customer_archive(customer=customer, by=user)
    return _respond(request, customer)


@router.post("/customers/{customer_id}/restore", response={200: CustomerOut, **WRITE_ERRORS})
def restore_customer(request: ApiRequest, customer_id: int) -> dict[str, Any]:
    """Bring an archived customer back; idempotent. A customer merged into another is 409:
    undo the merge instead."""
    user = request.auth
    permissions.require(user, Action.RESTORE)
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.is_archived:
            customer = services.customer_restore(customer=customer, by=user)
    return _respond(request, customer)
