"""Writes to leads and cards: keyword-only, typed, atomic, with the actor ``by`` audited.

Contact data is checked by the customers' own field validators (kehu.customers.fields),
so a lead's phone or e-mail is refused or normalised exactly as a customer's would be.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.customers import fields as customer_fields
from kehu.customers import services as customer_services
from kehu.customers.models import Channel, Customer, Interaction
from kehu.development import cadence
from kehu.development.models import (
    Answer,
    Card,
    CardSequence,
    Grade,
    GradeChange,
    Lead,
    LeadTouch,
)
from kehu.development.opportunities import opportunity_create

# Fields people may set on a lead through ``lead_create`` / ``lead_update``.
EDITABLE = (
    "kind",
    "name",
    "company",
    "phone",
    "email",
    "city",
    "notes",
    "source",
    "referred_by",
    "campaign",
    "partner",
)
MAN = ("money", "authority", "need")
CLOSED = (Lead.Status.CONVERTED,)
OPENED = "Card opened"  # the reason of a card's first grade


class MatchFound(Exception):
    """Conversion stopped: the lead looks like customers that exist already."""

    def __init__(self, candidates: list[Any]) -> None:
        super().__init__("The lead matches existing customers.")
        self.candidates = candidates


class NotQualified(ValidationError):
    pass


def today() -> dt.date:
    return timezone.localdate()


def clean_contact(fields: dict[str, Any]) -> dict[str, Any]:
    """Phone and e-mail through the customers' validators; every bad field reported at once."""
    errors: dict[str, Any] = {}
    for name in ("phone", "email"):
        if name in fields:
            try:
                fields[name] = customer_fields.field(name).clean(fields[name])
            except ValidationError as exc:
                errors[name] = exc.error_list
    for name in ("name", "company", "city", "notes"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    if errors:
        raise ValidationError(errors)
    return fields


# --- cards --------------------------------------------------------------------------------


def card_prefix() -> str:
    return str(getattr(settings, "KEHU_CARD_PREFIX", "K"))


def next_card_number(year: int) -> str:
    """``K-2026-000123``: the year's next number (see ``next_card_numbers``)."""
    return next_card_numbers(year, 1)[0]


@transaction.atomic
def next_card_numbers(year: int, count: int) -> list[str]:
    """``count`` consecutive numbers of ``year``: the year's counter raised by ``count``
    under its row lock (an UPDATE), so two writers never draw the same number and a bulk
    import's cards are numbered in file order; the first number of a year creates the row."""
    if not CardSequence.objects.filter(year=year).update(last=F("last") + count):
        try:
            with transaction.atomic():
                CardSequence.objects.create(year=year, last=count)
        except IntegrityError:  # another writer created the year's row meanwhile
            CardSequence.objects.filter(year=year).update(last=F("last") + count)
    last = CardSequence.objects.get(year=year).last
    return [f"{card_prefix()}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def schedule_card(card: Card, start: dt.date) -> None:
    card.next_review_on = cadence.next_review(card.grade, card.last_reviewed_on or start)
    card.next_call_on = cadence.next_contact(card.grade, "call", card.last_call_on or start)
    card.next_visit_on = cadence.next_contact(card.grade, "visit", card.last_visit_on or start)


def _new_card(*, grade: str, owner: Any, team_id: int | None, by: Any, **holder: Any) -> Card:
    start = today()
    card = Card(number=next_card_number(start.year), grade=grade, owner=owner, team_id=team_id)
    for name, value in holder.items():
        setattr(card, name, value)
    schedule_card(card, start)
    card.full_clean()
    card.save()
    # The opening row's reason is a fixed word; the page shows it translated.
    GradeChange.objects.create(card=card, from_grade="", to_grade=grade, reason=OPENED, by=by)
    return card


@transaction.atomic
@audit.with_actor
def card_for_customer(*, customer: Customer, by: Any, grade: str = Grade.C) -> Card:
    """The customer's card, opened (numbered, graded) if it has none yet."""
    existing = Card.objects.filter(customer=customer).first()
    if existing is not None:
        return existing
    return _new_card(
        grade=grade, owner=customer.owner, team_id=customer.team_id, by=by, customer=customer
    )


@transaction.atomic
@audit.with_actor
def card_regrade(*, card: Card, grade: str, reason: str, by: Any) -> Card:
    """Promote or demote a card; the change and its reason go into the grade history, and
    the review and contact dates follow the new grade."""
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if grade not in Grade.values:
        errors["grade"] = _("Choose A, B or C.")
    if not reason:
        errors["reason"] = _("Say why the grade changes.")
    if errors:
        raise ValidationError(errors)
    card = Card.objects.select_for_update().get(pk=card.pk)
    if card.grade == grade:
        return card
    GradeChange.objects.create(
        card=card, from_grade=card.grade, to_grade=grade, reason=reason[:255], by=by
    )
    card.grade = grade
    schedule_card(card, today())
    card.save()
    return card


@transaction.atomic
@audit.with_actor
def card_reviewed(*, card: Card, by: Any, on: dt.date | None = None) -> Card:
    on = on or today()
    card.last_reviewed_on = on
    card.next_review_on = cadence.next_review(card.grade, on)
    card.save()
    return card


@transaction.atomic
@audit.with_actor
def card_contacted(*, card: Card, kind: str, by: Any, on: dt.date | None = None) -> Card:
    """A call or visit done on ``on``: the next one is due a cadence later."""
    if kind not in ("call", "visit"):
        raise ValidationError({"kind": _("Choose call or visit.")})
    on = on or today()
    setattr(card, f"last_{kind}_on", on)
    setattr(card, f"next_{kind}_on", cadence.next_contact(card.grade, kind, on))
    card.save()
    return card


# --- leads --------------------------------------------------------------------------------


@transaction.atomic
@audit.with_actor
def lead_create(
    *, by: Any, owner: Any = None, team_id: int | None = None, grade: str = Grade.C, **fields: Any
) -> Lead:
    """A lead and its card. ``owner`` defaults to nobody (a web-form lead waits to be
    assigned by the rule in kehu.development.webform); the team follows the owner's."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"lead_create: unknown fields {sorted(unknown)}")
    fields = clean_contact(dict(fields))
    if team_id is None and owner is not None:
        profile = getattr(owner, "profile", None)
        team_id = profile.team_id if profile else None
    lead = Lead(
        owner=owner,
        team_id=team_id,
        created_by=by if getattr(by, "pk", None) else None,
        **fields,
    )
    lead.full_clean()
    lead.save()
    _new_card(grade=grade, owner=owner, team_id=team_id, by=by, lead=lead)
    return lead


@transaction.atomic
@audit.with_actor
def lead_update(*, lead: Lead, by: Any, **fields: Any) -> Lead:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"lead_update: unknown fields {sorted(unknown)}")
    fields = clean_contact(dict(fields))
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.full_clean()
    lead.save()
    return lead


def _status_after_man(lead: Lead) -> str:
    if lead.status in (Lead.Status.CONVERTED, Lead.Status.DISQUALIFIED):
        return lead.status
    return Lead.Status.QUALIFIED if lead.qualified else Lead.Status.OPEN


@transaction.atomic
@audit.with_actor
def lead_qualify(*, lead: Lead, by: Any, **answers: Any) -> Lead:
    """Set any of money/authority/need (yes, no, unknown) and their ``*_note``; the lead is
    qualified when all three are yes, and open again when one stops being yes. A lead that
    fails is kept (and graded, and revisited), never deleted."""
    allowed = set(MAN) | {f"{name}_note" for name in MAN}
    unknown = set(answers) - allowed
    if unknown:
        raise TypeError(f"lead_qualify: unknown fields {sorted(unknown)}")
    errors = {
        name: _("Answer yes, no or unknown.")
        for name in MAN
        if name in answers and answers[name] not in Answer.values
    }
    if errors:
        raise ValidationError(errors)
    if lead.status == Lead.Status.CONVERTED:
        raise ValidationError(_("The lead is converted already; its customer record is current."))
    for name, value in answers.items():
        setattr(lead, name, (value or "").strip() if name.endswith("_note") else value)
    lead.status = _status_after_man(lead)
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
@audit.with_actor
def lead_disqualify(*, lead: Lead, by: Any, reason: str) -> Lead:
    if lead.status == Lead.Status.CONVERTED:
        raise ValidationError(_("The lead is converted already."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the lead is disqualified.")})
    lead.status = Lead.Status.DISQUALIFIED
    lead.status_reason = reason.strip()[:255]
    lead.save()
    return lead


@transaction.atomic
@audit.with_actor
def lead_reopen(*, lead: Lead, by: Any) -> Lead:
    if lead.status != Lead.Status.DISQUALIFIED:
        return lead
    lead.status = Lead.Status.OPEN
    lead.status = _status_after_man(lead)
    lead.status_reason = ""
    lead.save()
    return lead


@transaction.atomic
@audit.with_actor
def lead_assign(*, lead: Lead, owner: Any, by: Any) -> Lead:
    profile = getattr(owner, "profile", None) if owner else None
    lead.owner = owner
    lead.team_id = profile.team_id if profile and profile.team_id else lead.team_id
    lead.save()
    Card.objects.filter(lead=lead, customer__isnull=True).update(owner=owner, team_id=lead.team_id)
    return lead


TOUCH_CONTACT: dict[str, str] = {LeadTouch.Kind.CALL: "call", LeadTouch.Kind.VISIT: "visit"}


@transaction.atomic
@audit.with_actor
def touch_log(
    *, lead: Lead, by: Any, kind: str, subject: str, notes: str = "", occurred_at: Any = None
) -> LeadTouch:
    touch = LeadTouch(
        lead=lead,
        kind=kind,
        subject=(subject or "").strip(),
        notes=notes or "",
        occurred_at=occurred_at or timezone.now(),
        user=by if getattr(by, "pk", None) else None,
    )
    touch.full_clean()
    touch.save()
    audit.record(action="create", instance=touch, summary=f"{lead.name}: {touch.subject}")
    contact = TOUCH_CONTACT.get(touch.kind)
    card = Card.objects.filter(lead=lead).first()
    if contact and card is not None:
        card_contacted(card=card, kind=contact, by=by, on=timezone.localdate(touch.occurred_at))
    return touch


# --- conversion ---------------------------------------------------------------------------

TOUCH_CHANNEL: dict[str, str] = {
    LeadTouch.Kind.CALL: Channel.PHONE,
    LeadTouch.Kind.VISIT: Channel.FIELD,
    LeadTouch.Kind.EMAIL: Channel.EMAIL,
    LeadTouch.Kind.MAIL: Channel.MAIL,
    LeadTouch.Kind.NOTE: Channel.PHONE,
}


@dataclass(frozen=True)
class Conversion:
    lead: Lead
    customer: Customer
    created: bool


def _customer_fields(lead: Lead) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": lead.kind,
        "name": lead.name,
        "phone": lead.phone,
        "email": lead.email,
        "city": lead.city,
        "source": lead.source,
        "acquired_on": today(),
        "partner": lead.partner,
        "notes": lead.notes,
    }
    if lead.company:
        fields["attributes"] = {"company": lead.company}
    return fields


def _copy_history(lead: Lead, customer: Customer, by: Any) -> None:
    """The lead's touches become the customer's interactions (with their own dates and
    people), and the conversion itself is one more, so the timeline tells the story."""
    for touch in lead.touches.order_by("occurred_at", "id"):
        Interaction.objects.create(
            customer=customer,
            channel=TOUCH_CHANNEL.get(touch.kind, Channel.PHONE),
            subject=touch.subject,
            notes=touch.notes,
            user=touch.user,
            occurred_at=touch.occurred_at,
            external_id=f"lead-touch:{touch.pk}",
        )
    card = getattr(lead, "card", None)
    Interaction.objects.create(
        customer=customer,
        channel=Channel.WEB if lead.source == Lead.Source.WEB_FORM else Channel.PHONE,
        subject=_("Converted from lead %(number)s (source: %(source)s)")
        % {"number": card.number if card else lead.pk, "source": lead.get_source_display()},
        notes="\n".join(
            f"{name}: {getattr(lead, name)} {getattr(lead, name + '_note')}".strip() for name in MAN
        ),
        user=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
@audit.with_actor
def lead_convert(
    *,
    lead: Lead,
    by: Any,
    into: Customer | None = None,
    candidates: list[Any] | None = None,
    allow_duplicate: bool = False,
) -> Conversion:
    """A qualified lead becomes a customer, keeping its source, history and card.

    ``into``: an existing customer the lead turned out to be (the match the user chose).
    Otherwise ``candidates`` (the duplicate warning's, from ``selectors.lead_matches``) stop
    the conversion with ``MatchFound`` unless ``allow_duplicate``."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status == Lead.Status.CONVERTED:
        raise ValidationError(_("The lead is converted already."))
    if not lead.qualified:
        raise NotQualified(
            {
                name: _("Must be yes to convert (MAN).")
                for name in MAN
                if getattr(lead, name) != Answer.YES
            }
        )
    created = into is None
    if into is None:
        if candidates and not allow_duplicate:
            raise MatchFound(candidates)
        owner = lead.owner or by
        customer = customer_services.customer_create(by=by, owner=owner, **_customer_fields(lead))
    else:
        customer = into
    _copy_history(lead, customer, by)
    card = Card.objects.filter(lead=lead).first()
    if card is not None and not Card.objects.filter(customer=customer).exists():
        card.customer = customer
        card.owner_id = customer.owner_id
        card.team_id = customer.team_id
        card.save()
    lead.status = Lead.Status.CONVERTED
    lead.customer = customer
    lead.converted_at = timezone.now()
    lead.save()
    # The deal the lead was qualified for opens in the pipeline with the conversion.
    opportunity_create(
        customer=customer, lead=lead, by=by, name=lead.company or lead.name, owner=lead.owner
    )
    return Conversion(lead=lead, customer=customer, created=created)
