"""Touches (F5): mailings, printed letters and brochures, visits, invitations and greetings.

Every touch that reaches someone is logged where their history is read: a customer's as an
interaction (the customer's timeline), a lead's as a ``LeadTouch`` (copied to the customer's
timeline on conversion). Recipients are always taken through the sender's visibility
(``visible_customers`` / ``visible_leads``): an id the sender cannot see is dropped, never
mailed. A lead with ``no_mailings`` or a customer whose custom attribute ``no_mailings`` is
set (customers have no opt-out column; their attributes are where such flags live) is
skipped by e-mail and letter mailings alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit, permissions
from kehu.customers import services as customer_services
from kehu.customers.models import Channel, Customer
from kehu.development.models import Lead, LeadTouch, Mailing, SpecialDate, TouchTask
from kehu.development.rules import visible_leads

MAX_RECIPIENTS = 5000  # one mailing; larger runs go through an export and a mail house
OPT_OUT = "no_mailings"
# Where a done task is logged: the customer's channel, the lead's touch kind.
TASK_LOG: dict[str, tuple[str, str]] = {
    TouchTask.Kind.VISIT: (Channel.FIELD, LeadTouch.Kind.VISIT),
    TouchTask.Kind.INVITATION: (Channel.MAIL, LeadTouch.Kind.MAIL),
    TouchTask.Kind.GREETING: (Channel.PHONE, LeadTouch.Kind.NOTE),
}


@dataclass
class Recipients:
    customers: list[Customer] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)

    def __iter__(self):
        yield from self.customers
        yield from self.leads

    def __len__(self) -> int:
        return len(self.customers) + len(self.leads)


def opted_out(holder: Customer | Lead) -> bool:
    if isinstance(holder, Lead):
        return holder.no_mailings
    return bool((holder.attributes or {}).get(OPT_OUT))


def recipients(*, user: Any, customer_ids: Iterable[int], lead_ids: Iterable[int]) -> Recipients:
    """The chosen customers and leads that ``user`` may see (others silently dropped)."""
    c_ids = sorted({int(i) for i in customer_ids})[:MAX_RECIPIENTS]
    l_ids = sorted({int(i) for i in lead_ids})[:MAX_RECIPIENTS]
    customers = list(permissions.visible_customers(user).filter(pk__in=c_ids).order_by("id"))
    leads = list(
        visible_leads(user)
        .filter(pk__in=l_ids)
        .exclude(status=Lead.Status.CONVERTED)
        .order_by("id")
    )
    return Recipients(customers, leads)


def log_touch(
    *, holder: Customer | Lead, by: Any, channel: str, lead_kind: str, subject: str, notes: str = ""
) -> None:
    """One touch on the holder's timeline."""
    subject = subject[:200]
    if isinstance(holder, Customer):
        customer_services.interaction_log(
            customer=holder, by=by, channel=channel, subject=subject, notes=notes
        )
    else:
        touch = LeadTouch(lead=holder, kind=lead_kind, subject=subject, notes=notes, user=by)
        touch.full_clean()
        touch.save()
        audit.record(action="create", instance=touch, summary=f"{holder.name}: {subject}")


def personal(text: str, holder: Customer | Lead) -> str:
    """``{name}`` in a mailing's text becomes the recipient's name."""
    return text.replace("{name}", holder.name)


def _check_text(subject: str, body: str) -> tuple[str, str]:
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the mailing a subject.")
    if not body:
        errors["body"] = _("Write the text of the mailing.")
    if errors:
        raise ValidationError(errors)
    return subject, body


@dataclass
class MailingResult:
    mailing: Mailing
    sent: list[Customer | Lead]
    skipped: list[tuple[Customer | Lead, str]]


@transaction.atomic
@audit.with_actor
def mailing_send(
    *, by: Any, subject: str, body: str, customer_ids: Iterable[int], lead_ids: Iterable[int]
) -> MailingResult:
    """E-mail ``subject``/``body`` (``{name}`` personalised) through Django's mail settings
    to the chosen recipients the sender sees; those without an address or opted out are
    skipped with the reason. Each sent one is logged on its timeline."""
    subject, body = _check_text(subject, body)
    chosen = recipients(user=by, customer_ids=customer_ids, lead_ids=lead_ids)
    if not len(chosen):
        raise ValidationError({"recipients": _("Choose at least one recipient you can see.")})
    sent: list[Customer | Lead] = []
    skipped: list[tuple[Customer | Lead, str]] = []
    messages = []
    for holder in chosen:
        if opted_out(holder):
            skipped.append((holder, _("asked for no mailings")))
        elif not holder.email:
            skipped.append((holder, _("no e-mail address")))
        else:
            messages.append(
                mail.EmailMessage(
                    personal(subject, holder),
                    personal(body, holder),
                    settings.DEFAULT_FROM_EMAIL,
                    [holder.email],
                )
            )
            sent.append(holder)
    mailing = Mailing.objects.create(
        kind=Mailing.Kind.EMAIL,
        subject=subject,
        body=body,
        sent=len(sent),
        skipped=len(skipped),
        by=by if getattr(by, "pk", None) else None,
    )
    for holder in sent:
        log_touch(
            holder=holder,
            by=by,
            channel=Channel.EMAIL,
            lead_kind=LeadTouch.Kind.EMAIL,
            subject=_("Mailing: %(subject)s") % {"subject": personal(subject, holder)},
        )
    if messages:
        # After the log is written: a mail server that fails rolls the whole mailing back.
        with mail.get_connection() as connection:
            connection.send_messages(messages)
    return MailingResult(mailing, sent, skipped)


@transaction.atomic
@audit.with_actor
def letters_logged(
    *, by: Any, kind: str, subject: str, body: str, chosen: Recipients
) -> MailingResult:
    """The printed letters (or brochures) of a run: the mailing row and one timeline entry
    per recipient who gets one (opted-out recipients get none)."""
    subject, body = _check_text(subject, body)
    sent = [h for h in chosen if not opted_out(h)]
    skipped = [(h, _("asked for no mailings")) for h in chosen if opted_out(h)]
    mailing = Mailing.objects.create(
        kind=kind,
        subject=subject,
        body=body,
        sent=len(sent),
        skipped=len(skipped),
        by=by if getattr(by, "pk", None) else None,
    )
    label = _("Brochure") if kind == Mailing.Kind.BROCHURE else _("Letter")
    for holder in sent:
        log_touch(
            holder=holder,
            by=by,
            channel=Channel.MAIL,
            lead_kind=LeadTouch.Kind.MAIL,
            subject=f"{label}: {personal(subject, holder)}",
        )
    return MailingResult(mailing, sent, skipped)


# --- visits, invitations, greetings as tasks ------------------------------------------------


@transaction.atomic
@audit.with_actor
def task_create(
    *,
    by: Any,
    kind: str,
    title: str,
    due_on: dt.date,
    holder: Customer | Lead,
    notes: str = "",
) -> TouchTask:
    """A visit or invitation to do by the holder's owner (or the creator if it has none)."""
    if kind not in (TouchTask.Kind.VISIT, TouchTask.Kind.INVITATION):
        raise ValidationError({"kind": _("Choose a visit or an invitation.")})
    owner = holder.owner or by
    task = TouchTask(
        kind=kind,
        title=(title or "").strip()[:200],
        notes=(notes or "").strip(),
        due_on=due_on,
        owner=owner,
        team_id=holder.team_id,
    )
    if isinstance(holder, Customer):
        task.customer = holder
    else:
        task.lead = holder
    task.full_clean()
    task.save()
    return task


@transaction.atomic
@audit.with_actor
def task_done(*, task: TouchTask, by: Any, notes: str = "", send_email: bool = False) -> TouchTask:
    """Mark a visit, invitation or greeting done and log it on the holder's timeline. A
    greeting with ``send_email`` is e-mailed to the holder (when they have an address and
    did not opt out) instead of being made by phone."""
    task = TouchTask.objects.select_for_update().get(pk=task.pk)
    if task.status != TouchTask.Status.OPEN:
        raise ValidationError(_("This task is closed already."))
    holder = task.holder
    if holder is None:
        raise ValidationError(_("This task has nobody to contact."))
    channel, lead_kind = TASK_LOG[task.kind]
    if send_email:
        if task.kind != TouchTask.Kind.GREETING:
            raise ValidationError(_("Only greetings are sent by e-mail from here."))
        if not holder.email or opted_out(holder):
            raise ValidationError(_("No e-mail can be sent: no address, or no mailings wanted."))
        mail.EmailMessage(
            task.title, notes or task.title, settings.DEFAULT_FROM_EMAIL, [holder.email]
        ).send()
        channel, lead_kind = Channel.EMAIL, LeadTouch.Kind.EMAIL
    log_touch(
        holder=holder,
        by=by,
        channel=channel,
        lead_kind=lead_kind,
        subject=task.title,
        notes=(notes or "").strip(),
    )
    task.status = TouchTask.Status.DONE
    task.done_at = timezone.now()
    task.done_by = by if getattr(by, "pk", None) else None
    task.save()
    return task


@transaction.atomic
@audit.with_actor
def special_date_add(
    *,
    by: Any,
    holder: Customer | Lead,
    label: str,
    calendar: str,
    month: int | None = None,
    day: int | None = None,
    festival: str = "",
) -> SpecialDate:
    """A date to greet ``holder`` on every year (validated: a real month/day, a known festival)."""
    from kehu.development.greetings import festival_choices

    errors: dict[str, str] = {}
    label = (label or "").strip()
    if not label:
        errors["label"] = _("Name the occasion.")
    if calendar == SpecialDate.Calendar.FESTIVAL:
        if festival not in dict(festival_choices()):
            errors["festival"] = _("Choose a festival from the list.")
        month = day = None
    elif calendar in (SpecialDate.Calendar.SOLAR, SpecialDate.Calendar.LUNAR):
        top = 30 if calendar == SpecialDate.Calendar.LUNAR else 31
        if not month or not 1 <= month <= 12:
            errors["month"] = _("Month must be 1 to 12.")
        elif not day or not 1 <= day <= top:
            errors["day"] = _("Day must be 1 to %(top)d.") % {"top": top}
        elif calendar == SpecialDate.Calendar.SOLAR:
            try:
                dt.date(2000, month, day)
            except ValueError:
                errors["day"] = _("That month has no such day.")
        festival = ""
    else:
        errors["calendar"] = _("Choose solar, lunar or festival.")
    if errors:
        raise ValidationError(errors)
    special = SpecialDate(
        label=label[:100],
        calendar=calendar,
        month=month,
        day=day,
        festival=festival,
        created_by=by if getattr(by, "pk", None) else None,
    )
    if isinstance(holder, Customer):
        special.customer = holder
    else:
        special.lead = holder
    special.full_clean()
    special.save()
    return special
