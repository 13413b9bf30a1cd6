"""Leads (issue #14): create, list, read, change (MAN qualification among the rest) and
convert into a customer.

The same rules as the pages: the role first (403: it may never do this), then visibility
(404: this lead does not exist for you, whether it is missing or another team's). Writes go
through kehu.development.services; contact data is checked by the customers' validators.
Creating never refuses a probable duplicate: the likely customers and leads come back in
``possible_duplicates`` (the contract is 201 with the lead's id). Conversion answers 201 with
``customer_id``; it also lists the existing customers the lead resembles in ``matches``
(ask ``GET /leads/{id}/matches`` first, and convert ``into`` the right one).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ValidationError as PydanticError

from kehu.api.common import ApiRequest, paginate, ref, user_ref, visible_customer
from kehu.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, Input, text
from kehu.core import permissions, validators
from kehu.core.masking import Mask, mask_value
from kehu.core.models import Partner, Role
from kehu.core.permissions import Action
from kehu.development import selectors, services
from kehu.development.models import Answer, Grade, Lead
from kehu.sales.models import Campaign

router = Router(tags=["leads"])
OWNER_ROLES = (Role.SALES, Role.MANAGER, Role.ADMIN)


def _enum(choices: Any) -> Any:
    return Field(None, max_length=40, json_schema_extra={"enum": [str(v) for v, _label in choices]})


class LeadIn(Input):
    name: str = Field(..., min_length=1, max_length=200)
    source: str = Field(
        ..., max_length=40, json_schema_extra={"enum": [str(v) for v in Lead.Source.values]}
    )
    phone: str | None = text(64)
    email: str | None = text(254)
    kind: str | None = _enum(Lead.Kind.choices)
    company: str | None = text(200)
    city: str | None = text(50)
    notes: str | None = text(5000)
    referred_by_id: Id | None = None
    campaign_id: Id | None = None
    partner_id: Id | None = None
    owner_id: Id | None = None
    grade: str | None = _enum(Grade.choices)


class LeadPatch(Input):
    money: str | None = _enum(Answer.choices)
    money_note: str | None = text(255)
    authority: str | None = _enum(Answer.choices)
    authority_note: str | None = text(255)
    need: str | None = _enum(Answer.choices)
    need_note: str | None = text(255)
    name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = text(64)
    email: str | None = text(254)
    company: str | None = text(200)
    city: str | None = text(50)
    notes: str | None = text(5000)
    source: str | None = _enum(Lead.Source.choices)


class ConvertIn(Input):
    customer_id: Id | None = Field(
        None, description="Convert into this existing customer instead of creating one"
    )


class LeadQuery(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=20)
    source: str = Field("", max_length=20)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class LeadOut(Schema):
    id: int
    name: str
    kind: str
    company: str
    phone: str
    email: str
    city: str
    source: str
    status: str
    qualified: bool
    money: str
    authority: str
    need: str
    money_note: str
    authority_note: str
    need_note: str
    card_number: str | None
    grade: str | None
    owner: dict | None
    team: dict | None
    partner: dict | None
    referred_by: dict | None
    campaign: dict | None
    customer_id: int | None
    masked: bool
    possible_duplicates: list[dict] | None = None


class LeadPage(Schema):
    count: int
    count_is_capped: bool
    limit: int
    offset: int
    next_offset: int | None
    items: list[LeadOut]


class ConvertOut(Schema):
    customer_id: int
    lead_id: int
    created: bool
    matches: list[dict]


class MatchesOut(Schema):
    customers: list[dict]
    leads: list[dict]


def lead_out(lead: Lead, *, user: Any) -> dict[str, Any]:
    masked = not permissions.can(user, Action.SEE_PERSONAL_DATA)
    card = getattr(lead, "card", None)
    return {
        "id": lead.pk,
        "name": lead.name,
        "kind": lead.kind,
        "company": lead.company,
        "phone": mask_value(Mask.PHONE, lead.phone) if masked else lead.phone,
        "email": mask_value(Mask.EMAIL, lead.email) if masked else lead.email,
        "city": lead.city,
        "source": lead.source,
        "status": lead.status,
        "qualified": lead.qualified,
        "money": lead.money,
        "authority": lead.authority,
        "need": lead.need,
        "money_note": lead.money_note,
        "authority_note": lead.authority_note,
        "need_note": lead.need_note,
        "card_number": card.number if card else None,
        "grade": card.grade if card else None,
        "owner": user_ref(lead.owner),
        "team": ref(lead.team),
        "partner": ref(lead.partner),
        "referred_by": ref(lead.referred_by),
        "campaign": ref(lead.campaign),
        "customer_id": lead.customer_id,
        "masked": masked,
    }


def _lead(user: Any, pk: int) -> Lead:
    lead = selectors.visible_lead(user, pk)
    if lead is None:
        raise Http404
    return lead


def _choice(errors: dict, name: str, value: Any, choices: Any) -> Any:
    try:
        return validators.clean_choice(value, choices)
    except ValidationError as exc:
        errors[name] = exc.error_list
        return None


def _references(user: Any, data: dict[str, Any], errors: dict) -> dict[str, Any]:
    """Ids in the body as objects; one the caller may not see is named like a missing one."""
    out: dict[str, Any] = {}
    if data.get("referred_by_id") is not None:
        try:
            out["referred_by"] = visible_customer(user, data["referred_by_id"])
        except Http404:
            errors["referred_by_id"] = [ValidationError("No such customer.")]
    if data.get("campaign_id") is not None:
        out["campaign"] = Campaign.objects.filter(pk=data["campaign_id"]).first()
        if out["campaign"] is None:
            errors["campaign_id"] = [ValidationError("No such campaign.")]
    if data.get("partner_id") is not None:
        out["partner"] = Partner.objects.filter(pk=data["partner_id"], is_active=True).first()
        if out["partner"] is None:
            errors["partner_id"] = [ValidationError("No such active channel partner.")]
    return out


def _owner(user: Any, owner_id: int | None, errors: dict) -> Any:
    if owner_id in (None, user.pk):
        return user
    owner = (
        get_user_model()
        .objects.filter(pk=owner_id, is_active=True, profile__role__in=OWNER_ROLES)
        .first()
    )
    if owner is None:
        errors["owner_id"] = [ValidationError("No such active sales rep, manager or admin.")]
    return owner


@router.get("/leads", response={200: LeadPage, **READ_ERRORS})
def list_leads(request: ApiRequest, filters: Query[LeadQuery]) -> dict[str, Any]:
    """The leads you may see, newest first (``limit`` at most 200)."""
    qs = selectors.lead_list(
        user=request.auth,
        filters=selectors.LeadFilters(
            q=filters.q.strip(), status=filters.status, source=filters.source
        ),
    ).select_related("team", "partner", "referred_by", "campaign")
    return paginate(
        qs,
        limit=filters.limit,
        offset=filters.offset,
        render=lambda lead: lead_out(lead, user=request.auth),
    )


@router.post("/leads", response={201: LeadOut, **WRITE_ERRORS})
def create_lead(request: ApiRequest, payload: LeadIn) -> Status:
    """A lead (and its numbered card) owned by you, or by ``owner_id`` for managers and
    admins. ``source``: statistics, directory, press, referral, event, mailing, web_form or
    partner."""
    user = request.auth
    permissions.require(user, Action.CHANGE)
    data = payload.model_dump(exclude_unset=True)
    if data.get("owner_id") not in (None, user.pk):
        permissions.require(user, Action.REASSIGN)
    errors: dict[str, Any] = {}
    fields: dict[str, Any] = {
        name: data[name]
        for name in ("name", "phone", "email", "company", "city", "notes")
        if data.get(name) is not None
    }
    fields["source"] = _choice(errors, "source", data["source"], Lead.Source.choices)
    if data.get("kind"):
        fields["kind"] = _choice(errors, "kind", data["kind"], Lead.Kind.choices)
    grade = _choice(errors, "grade", data["grade"], Grade.choices) if data.get("grade") else "C"
    fields.update(_references(user, data, errors))
    owner = _owner(user, data.get("owner_id"), errors)
    if errors:
        raise ValidationError(errors)
    lead = services.lead_create(by=user, owner=owner, grade=grade, **fields)
    out = lead_out(selectors.visible_lead(user, lead.pk) or lead, user=user)
    out["possible_duplicates"] = _duplicates(user, lead)
    return Status(201, out)


def _duplicates(user: Any, lead: Lead) -> list[dict[str, Any]]:
    customers = [
        {"type": "customer", **c.as_dict()} for c in selectors.lead_matches(user=user, lead=lead)
    ]
    fields = {"name": lead.name, "phone": lead.phone, "email": lead.email}
    others = [
        {"type": "lead", "lead_id": other.pk, "name": other.name}
        for other in selectors.similar_leads(user=user, fields=fields, exclude_id=lead.pk)
    ]
    return customers + others


@router.get("/leads/{lead_id}", response={200: LeadOut, **READ_ERRORS})
def get_lead(request: ApiRequest, lead_id: int) -> dict[str, Any]:
    return lead_out(_lead(request.auth, lead_id), user=request.auth)


@router.get("/leads/{lead_id}/matches", response={200: MatchesOut, **READ_ERRORS})
def lead_matches(request: ApiRequest, lead_id: int) -> dict[str, Any]:
    """Existing customers and other leads this lead resembles: look before converting."""
    user = request.auth
    lead = _lead(user, lead_id)
    found = _duplicates(user, lead)
    return {
        "customers": [m for m in found if m["type"] == "customer"],
        "leads": [m for m in found if m["type"] == "lead"],
    }


@router.patch("/leads/{lead_id}", response={200: LeadOut, **WRITE_ERRORS})
def update_lead(request: ApiRequest, lead_id: int, payload: LeadPatch) -> dict[str, Any]:
    """Change MAN answers (``money``/``authority``/``need``: yes, no or unknown, with
    ``*_note``) and contact fields; ``qualified`` is true once all three are yes."""
    user = request.auth
    permissions.require(user, Action.CHANGE)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items()}
    errors: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for name in services.MAN:
        if name in data:
            if data[name] is None:
                errors[name] = [ValidationError("Answer yes, no or unknown.")]
            else:
                answers[name] = _choice(errors, name, data[name], Answer.choices)
        if data.get(f"{name}_note") is not None:
            answers[f"{name}_note"] = data[f"{name}_note"]
    fields = {
        name: data[name]
        for name in ("name", "phone", "email", "company", "city", "notes")
        if data.get(name) is not None
    }
    if data.get("source") is not None:
        fields["source"] = _choice(errors, "source", data["source"], Lead.Source.choices)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lead = _lead(user, lead_id)
        if fields:
            lead = services.lead_update(lead=lead, by=user, **fields)
        if answers:
            lead = services.lead_qualify(lead=lead, by=user, **answers)
    return lead_out(lead, user=user)


def _convert_body(request: ApiRequest) -> ConvertIn:
    """The body is optional (``curl -X POST …/convert`` sends none): empty means {}."""
    if request.content_type != "application/json":
        # No body, or a form post: the form's fields (usually none).
        data: Any = {k: v for k, v in request.POST.items()}
    else:
        raw = request.body.strip()
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            raise BadRequest("The body is not JSON.") from None
    if not isinstance(data, dict):
        raise ValidationError({NON_FIELD_ERRORS: ["Send a JSON object."]})
    try:
        return ConvertIn.model_validate(data)
    except PydanticError as exc:
        raise ValidationError(
            {
                ".".join(str(p) for p in e["loc"]) or NON_FIELD_ERRORS: [e["msg"]]
                for e in exc.errors()
            }
        ) from None


@router.post("/leads/{lead_id}/convert", response={201: ConvertOut, **WRITE_ERRORS})
def convert_lead(request: ApiRequest, lead_id: int) -> Status:
    """A qualified lead becomes a customer with the lead's source (the body is optional:
    ``{"customer_id": …}`` converts into that existing customer instead); its calls and visits
    move to the customer's timeline and its card stays with it. ``customer_id``: convert
    into that existing customer instead. ``matches`` names existing customers it resembles
    (when a new one was created: check them, and merge if it is the same person)."""
    user = request.auth
    permissions.require(user, Action.CHANGE)
    with transaction.atomic():
        lead = _lead(user, lead_id)
        into = None
        customer_id = _convert_body(request).customer_id
        if customer_id is not None:
            try:
                into = visible_customer(user, customer_id, include_archived=False)
            except Http404:
                raise ValidationError({"customer_id": ["No such customer."]}) from None
        matches = [c.as_dict() for c in selectors.lead_matches(user=user, lead=lead)]
        result = services.lead_convert(lead=lead, by=user, into=into, allow_duplicate=True)
    return Status(
        201,
        {
            "customer_id": result.customer.pk,
            "lead_id": lead.pk,
            "created": result.created,
            "matches": [m for m in matches if m["customer_id"] != result.customer.pk],
        },
    )
