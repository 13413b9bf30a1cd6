"""Leads from an import file (the importer's "leads" kind, kehu.imports): each row checked
as ``services.lead_create`` checks it, the owner rule, new leads stored in bulk exactly as
``lead_create`` makes them, and changes through the same services a person's edit uses.
Split from ``services`` only for its length; the rules are the same ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit, permissions
from kehu.core.models import AuditEvent, Role
from kehu.development import bulk as lead_bulk
from kehu.development import rules
from kehu.development.models import Answer, Card, Grade, Lead
from kehu.development.services import (
    EDITABLE,
    MAN,
    OPENED,
    card_regrade,
    clean_contact,
    lead_assign,
    lead_qualify,
    lead_update,
    next_card_numbers,
    schedule_card,
)
from kehu.sales.models import Campaign

# What one imported row may set: the editable contact and source fields (references to
# customers and partners excepted), the MAN answers with their notes, the grade and owner.
IMPORT_FIELDS = (
    *(name for name in EDITABLE if name not in ("referred_by", "partner")),
    *MAN,
    *(f"{name}_note" for name in MAN),
    "grade",
)
# The allowed values as sets, built once: asking a TextChoices for its values builds a
# list each time, and this is asked for every field of every row of a million-row file.
IMPORT_CHOICES: dict[str, frozenset[str]] = {
    "kind": frozenset(Lead.Kind.values),
    "source": frozenset(Lead.Source.values),
    "grade": frozenset(Grade.values),
    **{name: frozenset(Answer.values) for name in MAN},
}
IMPORT_LENGTHS: dict[str, int] = {
    name: limit
    for name in IMPORT_FIELDS
    if name not in ("grade", "campaign")
    and (limit := getattr(Lead._meta.get_field(name), "max_length", None))
}


def lead_import_check(fields: dict[str, Any]) -> dict[str, Any]:
    """One imported lead's values checked as ``lead_create`` checks them: contact data by
    the customers' validators, the choices, the lengths, name and source required. Raises
    ValidationError {field: [messages]} naming every bad field; returns the cleaned values
    (blank ones left out: a blank cell never erases a stored value)."""
    unknown = set(fields) - set(IMPORT_FIELDS)
    if unknown:
        raise TypeError(f"lead_import_check: unknown fields {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    try:
        fields = clean_contact(dict(fields))
    except ValidationError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    for name, choices in IMPORT_CHOICES.items():
        value = fields.get(name)
        if value and value not in choices:
            errors[name] = [_("“%(value)s” is not one of the choices.") % {"value": value}]
    for name, value in fields.items():
        limit = IMPORT_LENGTHS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(n)d characters (this has %(m)d).") % {"n": limit, "m": len(value)}
            )
    for name in ("name", "source"):
        if not fields.get(name) and name not in errors:
            errors[name] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    return {name: value for name, value in fields.items() if value not in ("", None)}


def lead_owner_refusal(*, by: Any, owner: Any) -> str:
    """Why ``by`` may not make ``owner`` the owner of a lead; '' when they may. Reps take
    leads in their own name; managers give them to the people of the teams they manage
    (or their own); administrators to anyone."""
    if owner is None or owner.pk == by.pk:
        return ""
    if not permissions.can(by, permissions.Action.REASSIGN):
        return _("Only managers may assign leads to others.")
    if permissions.role_of(by) == Role.ADMIN:
        return ""
    profile = getattr(owner, "profile", None)
    if profile is None or profile.team_id not in rules.team_ids(by):
        return _("You may assign leads only to people of the teams you manage.")
    return ""


@transaction.atomic
def leads_create_bulk(
    *, by: Any, leads: list[dict[str, Any]], note: dict[str, Any] | None = None
) -> list[int]:
    """Many new leads at once, each exactly as ``lead_create`` makes it — owner (default
    ``by``) and the owner's team, status from its MAN answers, a card numbered in order
    with its grade (default C), review and contact dates and opening grade row — written
    in bulk (kehu.development.bulk) and audited with one event for the lot. ``leads``
    holds values passed by ``lead_import_check`` plus ``owner``; ``campaign`` is an id.
    Returns the new leads' ids, in order."""
    if not leads:
        return []
    now = timezone.now()
    start = timezone.localdate(now)
    teams: dict[int, int | None] = {}
    schedules: dict[str, dict[str, dt.date]] = {}
    rows, cards, changes = [], [], []
    numbers = next_card_numbers(start.year, len(leads))
    for values, number in zip(leads, numbers, strict=True):
        values = dict(values)
        owner = values.pop("owner", None) or by
        grade = values.pop("grade", None) or Grade.C
        if owner.pk not in teams:
            profile = getattr(owner, "profile", None)
            teams[owner.pk] = profile.team_id if profile else None
        if "campaign" in values:
            values["campaign_id"] = values.pop("campaign")
        if all(values.get(name) == Answer.YES for name in MAN):
            values["status"] = Lead.Status.QUALIFIED
        values["owner_id"], values["team_id"] = owner.pk, teams[owner.pk]
        rows.append(values)
        if grade not in schedules:
            probe = Card(grade=grade)
            schedule_card(probe, start)
            schedules[grade] = {
                name: getattr(probe, name)
                for name in ("next_review_on", "next_call_on", "next_visit_on")
            }
        cards.append(
            {"number": number, "grade": grade, "owner_id": owner.pk, "team_id": teams[owner.pk]}
            | schedules[grade]
        )
        changes.append({"to_grade": grade})
    creator = by.pk if getattr(by, "pk", None) else None
    ids = lead_bulk.store(
        leads=rows,
        cards=cards,
        changes=changes,
        constant={
            "lead": {"created_by_id": creator, "created_at": now, "updated_at": now},
            "card": {"created_at": now, "updated_at": now},
            "change": {"from_grade": "", "reason": OPENED, "by_id": creator, "at": now},
        },
    )
    audit.record(
        user=by if creator else None,
        action=AuditEvent.Action.IMPORT,
        model="development.lead",
        object_id=str((note or {}).get("job") or ""),
        summary=_("Imported %(n)d leads (cards %(a)s–%(b)s).")
        % {"n": len(ids), "a": numbers[0], "b": numbers[-1]},
        changes={"created": len(ids), "ids": [ids[0], ids[-1]], **(note or {})},
    )
    return ids


@transaction.atomic
@audit.with_actor
def lead_import_update(*, lead: Lead, by: Any, changes: dict[str, Any]) -> Lead:
    """What a re-imported row changes on a stored lead, through the services a person's
    edit goes through (each audited with its before and after): contact and source fields,
    MAN answers, owner, and the card's grade (recorded in its grade history)."""
    editable = {k: v for k, v in changes.items() if k in EDITABLE}
    if "campaign" in editable:
        editable["campaign"] = Campaign.objects.get(pk=editable["campaign"])
    if editable:
        lead = lead_update(lead=lead, by=by, **editable)
    answers = {k: v for k, v in changes.items() if k.split("_")[0] in MAN}
    if answers:
        lead = lead_qualify(lead=lead, by=by, **answers)
    if "owner" in changes:
        lead = lead_assign(lead=lead, owner=changes["owner"], by=by)
    card = Card.objects.filter(lead=lead).first()
    if "grade" in changes and card is not None:
        card_regrade(card=card, grade=changes["grade"], reason=_("Changed by an import"), by=by)
    return lead
