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
from ninja import Query, Router, Status

from kehu.api.common import ApiRequest, paginate, ref, require, user_ref, visible_customer
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
)
from kehu.core import permissions, validators
from kehu.core.models import Partner, Role
from kehu.customers import selectors, services
from kehu.customers.models import Customer, Tag
from kehu.quality.warning import duplicate_warning

router = Router(tags=["customers"])

CHOICES: dict[str, Any] = {
    "kind": Customer.Kind.choices,
    "gender": Customer._meta.get_field("gender").choices,
    "age_band": Customer.AgeBand.choices,
    "income_band": Customer.IncomeBand.choices,
    "source": Customer.Source.choices,
}
CLEANERS: dict[str, Callable[[Any], Any]] = {
    "phone": validators.clean_phone,
    "email": validators.clean_email,
    "birthday": validators.clean_birthday,
    "acquired_on": validators.clean_date,
}
TEXT_FIELDS = {
    "name",
    "name_en",
    "province",
    "city",
    "district",
    "address",
    "postcode",
    "trade_area",
    "id_number",
    "industry",
    "notes",
}
# Who may own customers: the same list the web reassignment form offers.
OWNER_ROLES = (Role.SALES, Role.MANAGER, Role.ADMIN)
MASK = "****-**-**"


# --- input --------------------------------------------------------------------------------


def _clean_value(field: str, value: Any) -> Any:
    if field in CHOICES:
        return validators.clean_choice(value, CHOICES[field])
    if field in CLEANERS:
        return CLEANERS[field](value)
    if field in TEXT_FIELDS:
        return (value or "").strip()
    if field == "external_id":
        # Unique but optional: blank must be NULL or two blank ids would collide.
        return (value or "").strip() or None
    if field == "aliases":
        return [a.strip() for a in value or [] if a.strip()]
    if field == "tags":
        return None if value is None else sorted({t.strip() for t in value if t.strip()})
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
    return value


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


def customer_out(c: Customer, *, masked: bool) -> dict[str, Any]:
    phone, email, id_number, address = c.phone, c.email, c.id_number, c.address
    birthday = c.birthday.isoformat() if c.birthday else None
    if masked:
        phone = permissions.mask(phone, keep_end=4)
        email = permissions.mask_email(email)
        id_number = permissions.mask(id_number)
        address = permissions.mask(address)
        birthday = MASK if birthday else None
    return {
        "id": c.pk,
        "kind": c.kind,
        "name": c.name,
        "name_en": c.name_en,
        "aliases": [str(a) for a in c.aliases or []],
        "external_id": c.external_id,
        "phone": phone,
        "email": email,
        "province": c.province,
        "city": c.city,
        "district": c.district,
        "address": address,
        "postcode": c.postcode,
        "trade_area": c.trade_area,
        "birthday": birthday,
        "gender": c.gender,
        "age_band": c.age_band,
        "income_band": c.income_band,
        "household_size": c.household_size,
        "id_number": id_number,
        "industry": c.industry,
        "employees": c.employees,
        "source": c.source,
        "acquired_on": c.acquired_on,
        "owner": user_ref(c.owner),
        "team": ref(c.team),
        "partner": ref(c.partner),
        "tags": sorted(t.name for t in c.tags.all()),
        "notes": c.notes,
        "grade": c.grade,
        "tier": c.tier,
        "lifecycle_status": c.lifecycle_status,
        "loyalty_stage": c.loyalty_stage,
        "churn_type": c.churn_type,
        "is_core": c.is_core,
        "profit": c.profit,
        "clv": c.clv,
        "completeness": c.completeness,
        "is_archived": c.is_archived,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "masked": masked,
    }


def _respond(request: ApiRequest, customer: Customer) -> dict[str, Any]:
    return customer_out(customer, masked=permissions.masks_personal_data(request.auth))


# --- endpoints ----------------------------------------------------------------------------


@router.get("/customers", response={200: CustomerPage, **READ_ERRORS})
def list_customers(request: ApiRequest, filters: Query[CustomerQuery]) -> dict[str, Any]:
    """Customers you may see, filtered and paged (``limit`` at most 200)."""
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
    qs = qs.select_related("partner").prefetch_related("tags")
    masked = permissions.masks_personal_data(request.auth)
    return paginate(
        qs,
        limit=filters.limit,
        offset=filters.offset,
        render=lambda c: customer_out(c, masked=masked),
    )


@router.get("/customers/{customer_id}", response={200: CustomerOut, **READ_ERRORS})
def get_customer(request: ApiRequest, customer_id: int) -> dict[str, Any]:
    return _respond(request, visible_customer(request.auth, customer_id))


@router.post("/customers", response={201: CustomerOut, **WRITE_ERRORS, 409: DuplicateConflict})
def create_customer(
    request: ApiRequest, payload: CustomerIn, allow_duplicate: bool = False
) -> Status | tuple[int, dict[str, Any]]:
    """Create a customer owned by you (or, for managers and admins, by ``owner_id``).

    A record that probably exists already is refused with 409 and the likely matches in
    ``duplicates``; send ``?allow_duplicate=true`` to create it anyway."""
    user = request.auth
    require(permissions.can_edit(user))
    if payload.owner_id not in (None, user.pk):
        # Before validation, so a rep cannot probe which user ids exist.
        require(permissions.can_reassign(user))
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
    with transaction.atomic():
        tags = _tags(fields.pop("tags", None)) or []
        customer = services.customer_create(by=user, owner=owner, tags=tags, **fields)
    return Status(201, _respond(request, customer))


@router.patch("/customers/{customer_id}", response={200: CustomerOut, **WRITE_ERRORS})
def update_customer(
    request: ApiRequest, customer_id: int, payload: CustomerPatch
) -> dict[str, Any]:
    """Change the given fields; ``tags`` replaces the whole set. The owner is changed by
    reassignment on the web, not here."""
    user = request.auth
    require(permissions.can_edit(user))
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.is_archived:
            raise Conflict("The customer is archived; restore it first.")
        fields = clean_customer_fields(payload.model_dump(exclude_unset=True))
        tags = _tags(fields.pop("tags", None))
        customer = services.customer_update(customer=customer, by=user, tags=tags, **fields)
    return _respond(request, customer)


@router.post("/customers/{customer_id}/archive", response={200: CustomerOut, **WRITE_ERRORS})
def archive_customer(request: ApiRequest, customer_id: int) -> dict[str, Any]:
    """Hide the customer from lists and search (managers and admins); idempotent."""
    user = request.auth
    require(permissions.can_archive(user))
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if not customer.is_archived:
            customer = services.customer_archive(customer=customer, by=user)
    return _respond(request, customer)


@router.post("/customers/{customer_id}/restore", response={200: CustomerOut, **WRITE_ERRORS})
def restore_customer(request: ApiRequest, customer_id: int) -> dict[str, Any]:
    user = request.auth
    require(permissions.can_archive(user))
    with transaction.atomic():
        customer = visible_customer(user, customer_id)
        if customer.is_archived:
            customer = services.customer_restore(customer=customer, by=user)
    return _respond(request, customer)
