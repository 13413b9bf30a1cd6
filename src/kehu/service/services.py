"""Ticket writes: open, reply, note, assign, change status, resolve, reopen, and the overdue
escalation. Keyword-only, atomic, with an explicit actor ``by``; the ticket is audited through
its model (kehu.core.audit) and each thread message is recorded as its own audit event on the
customer.

Status transitions (anything else is refused with a ValidationError naming both statuses):
new → open, waiting, resolved, closed; open and reopened → waiting, resolved, closed (and
reopened → open); waiting → open, resolved, closed; resolved → closed, reopened; closed →
reopened. Waiting on the customer and resolved stop the clock: the business hours until work
resumes are added to ``paused_hours`` and both deadlines move back by them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.core import audit
from kehu.core.models import Team
from kehu.customers.models import Customer
from kehu.service import signals, sla
from kehu.service.models import Ticket, TicketAttachment, TicketMessage

S = Ticket.Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.OPEN, S.WAITING, S.RESOLVED, S.CLOSED}),
    S.OPEN: frozenset({S.WAITING, S.RESOLVED, S.CLOSED}),
    S.REOPENED: frozenset({S.OPEN, S.WAITING, S.RESOLVED, S.CLOSED}),
    S.WAITING: frozenset({S.OPEN, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
}
# The clock stops in these statuses (kehu.service.sla).
STOPPED = frozenset({S.WAITING, S.RESOLVED, S.CLOSED})

DEFAULT_MAX_ATTACHMENT_MB = 10
ALLOWED_ATTACHMENT_TYPES = (
    "image/",
    "text/plain",
    "text/csv",
    "application/pdf",
    "message/rfc822",
    "application/zip",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.ms-excel",
)
MAX_ATTACHMENTS = 10


def key_team() -> Team | None:
    """The team key customers' tickets are routed to (``KEHU_SERVICE_KEY_TEAM``, a team
    name), if one is set and exists."""
    name = getattr(settings, "KEHU_SERVICE_KEY_TEAM", "")
    return Team.objects.filter(name=name).first() if name else None


def _team_of(user: Any) -> Team | None:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.team if profile is not None else None


@transaction.atomic
@audit.with_actor
def ticket_create(
    *,
    customer: Customer,
    by: Any,
    subject: str,
    kind: str = Ticket.Kind.REQUEST,
    channel: str = Ticket.Channel.PHONE,
    priority: str = Ticket.Priority.NORMAL,
    category: str = "",
    description: str = "",
    nature: str = "",
    assignee: Any = None,
    team: Team | None = None,
    now: dt.datetime | None = None,
    product: Any = None,
) -> Ticket:
    """Open a ticket with its deadlines from the SLA policy for its priority and the
    customer's tier. A key customer's ticket goes to the key-customer team when one is set.
    ``product``: what a fault is about, when known (the proactive rules read it)."""
    now = now or timezone.now()
    vip = customer.tier == Customer.Tier.KEY
    if vip and team is None:
        team = key_team()
    if team is None:
        team = _team_of(assignee)
    response, resolution = sla.targets(priority, customer.tier)
    ticket = Ticket(
        customer=customer,
        subject=subject.strip(),
        kind=kind,
        channel=channel,
        priority=priority,
        category=category.strip(),
        description=description,
        nature=nature,
        assigned_to=assignee,
        team=team,
        vip=vip,
        product=product,
        opened_at=now,
        status=S.OPEN if assignee is not None else S.NEW,
        response_target_hours=response,
        resolution_target_hours=resolution,
    )
    sla.set_deadlines(ticket)
    ticket.full_clean()
    ticket.save()
    return ticket


def _check_attachments(files: Sequence[UploadedFile]) -> None:
    limit_mb = int(getattr(settings, "KEHU_TICKET_ATTACHMENT_MAX_MB", DEFAULT_MAX_ATTACHMENT_MB))
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("At most %(n)d files per message.") % {"n": MAX_ATTACHMENTS}}
        )
    for f in files:
        if f.size is not None and f.size > limit_mb * 1024 * 1024:
            raise ValidationError(
                {
                    "attachments": _("%(name)s is larger than %(mb)d MB.")
                    % {"name": f.name, "mb": limit_mb}
                }
            )
        kind = (f.content_type or "").lower()
        if not kind.startswith(ALLOWED_ATTACHMENT_TYPES):
            raise ValidationError(
                {"attachments": _("%(name)s: files of type %(type)s are not accepted.")
                 % {"name": f.name, "type": kind or "?"}}
            )  # fmt: skip


def _message(
    *,
    ticket: Ticket,
    kind: str,
    body: str,
    by: Any,
    sender: str = "",
    attachments: Sequence[UploadedFile] = (),
    message_id: str = "",
) -> TicketMessage:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("The message is empty.")})
    _check_attachments(attachments)
    message = TicketMessage.objects.create(
        ticket=ticket,
        kind=kind,
        body=body,
        author=by if getattr(by, "pk", None) else None,
        sender=sender[:254],
        message_id=message_id[:255],
    )
    for f in attachments:
        TicketAttachment.objects.create(
            message=message,
            file=f,
            name=(f.name or "file")[:200],
            content_type=(f.content_type or "")[:100],
            size=f.size or 0,
        )
    audit.record(
        action="create",
        instance=message,
        customer_id=ticket.customer_id,
        changes={"ticket": [None, ticket.pk], "kind": [None, kind]},
        summary=f"{ticket.reference} {message.get_kind_display()}",
    )
    return message


def _resume(ticket: Ticket, now: dt.datetime) -> None:
    """Restart a stopped clock: the paused business hours push both deadlines back."""
    if ticket.waiting_since is not None:
        ticket.paused_hours += sla.hours_between(ticket.waiting_since, now)
        ticket.waiting_since = None
        sla.set_deadlines(ticket)


def _set_status(ticket: Ticket, status: str, now: dt.datetime) -> None:
    if status == ticket.status:
        return
    if status not in TRANSITIONS.get(ticket.status, frozenset()):
        raise ValidationError(
            {"status": _("A ticket cannot go from “%(old)s” to “%(new)s”.")
             % {"old": ticket.get_status_display(), "new": S(status).label}}
        )  # fmt: skip
    was_stopped = ticket.status in STOPPED
    if status in STOPPED and not was_stopped:
        ticket.waiting_since = now
    elif was_stopped and status not in STOPPED:
        _resume(ticket, now)
    if status == S.RESOLVED or (status == S.CLOSED and ticket.resolved_at is None):
        ticket.resolved_at = now
        if ticket.due_at is not None and now > ticket.due_at:
            ticket.resolution_breached = True
    if status == S.REOPENED:
        ticket.reopened_count += 1
        ticket.resolved_at = None
        # A reopened ticket can fall overdue (and be escalated) again.
        ticket.escalated_at = None
    ticket.status = status


@transaction.atomic
@audit.with_actor
def ticket_reply(
    *,
    ticket: Ticket,
    by: Any,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    waiting: bool = False,
    now: dt.datetime | None = None,
) -> TicketMessage:
    """A public reply to the customer; the first one is the ticket's first response.
    ``waiting``: the reply asks the customer something, so the clock stops until they answer."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    message = _message(ticket=ticket, kind=TicketMessage.Kind.REPLY, body=body, by=by,
                       attachments=attachments)  # fmt: skip
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        if ticket.first_response_due_at is not None and now > ticket.first_response_due_at:
            ticket.response_breached = True
    if ticket.status in (S.NEW, S.REOPENED):
        _set_status(ticket, S.OPEN, now)
    if waiting and ticket.status != S.WAITING:
        _set_status(ticket, S.WAITING, now)
    if ticket.assigned_to_id is None and getattr(by, "pk", None):
        ticket.assigned_to = by
    ticket.save()
    return message


@transaction.atomic
@audit.with_actor
def ticket_note(
    *, ticket: Ticket, by: Any, body: str, attachments: Sequence[UploadedFile] = ()
) -> TicketMessage:
    """An internal note: staff only, no status change, not a response to the customer."""
    return _message(ticket=ticket, kind=TicketMessage.Kind.NOTE, body=body, by=by,
                    attachments=attachments)  # fmt: skip


@transaction.atomic
@audit.with_actor
def ticket_incoming(
    *,
    ticket: Ticket,
    by: Any,
    body: str,
    sender: str = "",
    message_id: str = "",
    now: dt.datetime | None = None,
) -> TicketMessage:
    """A message from the customer (e-mail, portal): a waiting ticket resumes; a resolved or
    closed one is reopened."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    message = _message(ticket=ticket, kind=TicketMessage.Kind.INCOMING, body=body, by=by,
                       sender=sender, message_id=message_id)  # fmt: skip
    if ticket.status == S.WAITING:
        _set_status(ticket, S.OPEN, now)
    elif ticket.status in (S.RESOLVED, S.CLOSED):
        _set_status(ticket, S.REOPENED, now)
    ticket.save()
    return message


@transaction.atomic
@audit.with_actor
def ticket_assign(*, ticket: Ticket, by: Any, assignee: Any, team: Team | None = None) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.assigned_to = assignee
    if team is not None:
        ticket.team = team
    elif ticket.team_id is None:
        ticket.team = _team_of(assignee)
    if assignee is not None and ticket.status == S.NEW:
        ticket.status = S.OPEN
    ticket.save()
    return ticket


@transaction.atomic
@audit.with_actor
def ticket_change_status(
    *, ticket: Ticket, by: Any, status: str, now: dt.datetime | None = None
) -> Ticket:
    if status not in S.values:
        raise ValidationError({"status": _("Unknown status %(s)r.") % {"s": status}})
    if status == S.RESOLVED:
        return ticket_resolve(ticket=ticket, by=by, now=now)
    if status == S.REOPENED:
        return ticket_reopen(ticket=ticket, by=by, now=now)
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _set_status(ticket, status, now)
    ticket.save()
    return ticket


@transaction.atomic
@audit.with_actor
def ticket_resolve(
    *,
    ticket: Ticket,
    by: Any,
    resolution: str = "",
    root_cause: str = "",
    corrective_action: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """Resolve with what was done; a complaint needs its resolution written down (E4:
    complaints are reported by root cause and corrective action)."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.resolution = resolution.strip() or ticket.resolution
    ticket.root_cause = root_cause.strip()[:200] or ticket.root_cause
    ticket.corrective_action = corrective_action.strip() or ticket.corrective_action
    if ticket.kind == Ticket.Kind.COMPLAINT and not ticket.resolution:
        raise ValidationError({"resolution": _("A complaint is resolved with its resolution.")})
    _set_status(ticket, S.RESOLVED, now)
    ticket.save()
    signals.ticket_resolved.send(sender=Ticket, ticket=ticket, by=by, now=now)
    return ticket


@transaction.atomic
@audit.with_actor
def ticket_reopen(
    *, ticket: Ticket, by: Any, reason: str = "", now: dt.datetime | None = None
) -> Ticket:
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _set_status(ticket, S.REOPENED, now)
    ticket.save()
    if reason.strip():
        _message(ticket=ticket, kind=TicketMessage.Kind.NOTE, body=reason, by=by)
    return ticket


def open_statuses() -> Iterable[str]:
    return [s for s in S.values if s not in Ticket.DONE]
