"""Tickets (kehu.service): the VIP-first queue, one ticket with its thread, opening one,
replying (or an internal note) and changing the status, with the pages' rules: whoever sees
the customer sees its tickets (service agents every customer, reps their own, partner users
the shared ones, analysts every one with the text masked); ``log_interaction`` opens a ticket;
``change`` replies and changes the status (403 for a role that never may, 404 for a ticket
the caller may not see)."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kehu.api.common import ApiRequest, paginate, ref, user_ref, visible_customer
from kehu.core import permissions
from kehu.core.masking import Mask, mask_value
from kehu.core.permissions import Action
from kehu.sales.models import Product
from kehu.service import selectors, services
from kehu.service.models import Ticket
from kehu.service.rules import notes_shown

router = Router(tags=["tickets"])


class TicketQuery(Schema):
    team: int | None = None
    status: str = ""
    kind: str = ""
    category: str = ""
    mine: bool = False
    overdue: bool = False
    customer_id: int | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class TicketIn(Schema):
    customer_id: int
    subject: str = Field(..., min_length=1, max_length=200)
    kind: Literal["question", "request", "complaint", "fault"] = "request"
    priority: Literal["urgent", "high", "normal", "low"] = "normal"
    channel: Literal["phone", "email", "web", "portal", "chat", "store", "partner"] = "phone"
    category: str = Field("", max_length=100)
    description: str = Field("", max_length=20_000)
    product_id: int | None = Field(None, ge=1, description="The product a fault is about.")


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=20_000)
    internal: bool = False
    waiting: bool = False


class StatusIn(Schema):
    status: Literal["new", "open", "waiting", "resolved", "closed", "reopened"]
    resolution: str = Field("", max_length=20_000)
    root_cause: str = Field("", max_length=200)
    corrective_action: str = Field("", max_length=20_000)
    reason: str = Field("", max_length=20_000)


def _dt(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def ticket_out(t: Ticket, *, user: Any, thread: bool = False) -> dict[str, Any]:
    masked = not permissions.can(user, Action.SEE_PERSONAL_DATA)

    def text(value: str) -> str:
        return mask_value(Mask.WHOLE, value) if masked else value

    out: dict[str, Any] = {
        "id": t.pk,
        "reference": t.reference,
        "customer": ref(t.customer),
        "subject": t.subject,
        "kind": t.kind,
        "channel": t.channel,
        "priority": t.priority,
        "status": t.status,
        "category": t.category,
        "product_id": t.product_id,
        "vip": t.vip,
        "assignee": user_ref(t.assigned_to),
        "team": ref(t.team),
        "opened_at": _dt(t.opened_at),
        "first_response_due_at": _dt(t.first_response_due_at),
        "first_response_at": _dt(t.first_response_at),
        "due_at": _dt(t.due_at),
        "resolved_at": _dt(t.resolved_at),
        "response_breached": t.response_breached,
        "resolution_breached": t.resolution_breached,
        "escalated_at": _dt(t.escalated_at),
    }
    if thread:
        out |= {
            "description": text(t.description),
            "nature": text(t.nature),
            "root_cause": t.root_cause,
            "corrective_action": t.corrective_action,
            "resolution": text(t.resolution),
            "messages": [
                {
                    "id": m.pk,
                    "kind": m.kind,
                    "author": user_ref(m.author),
                    "sender": text(m.sender),
                    "body": text(m.body),
                    "created_at": _dt(m.created_at),
                    "attachments": [
                        {"id": a.pk, "name": a.name, "size": a.size} for a in m.attachments.all()
                    ],  # fmt: skip
                }
                for m in selectors.thread(ticket=t, user=user)
            ],
        }
    return out


def _ticket(request: ApiRequest, pk: int) -> Ticket:
    ticket = selectors.ticket_for(user=request.auth, pk=pk)
    if ticket is None:
        raise Http404
    return ticket


@router.get("/tickets", summary="The queue: open tickets, key customers first, by deadline")
def ticket_list(request: ApiRequest, q: Query[TicketQuery]) -> dict[str, Any]:
    filters = selectors.QueueFilters(team=q.team, status=q.status, kind=q.kind,
                                     category=q.category, mine=q.mine, overdue=q.overdue,
                                     customer=q.customer_id)  # fmt: skip
    qs = selectors.queue(user=request.auth, filters=filters)
    return paginate(qs, limit=q.limit, offset=q.offset,
                    render=lambda t: ticket_out(t, user=request.auth))  # fmt: skip


@router.get("/tickets/{pk}")
def ticket_get(request: ApiRequest, pk: int) -> dict[str, Any]:
    return ticket_out(_ticket(request, pk), user=request.auth, thread=True)


@router.post("/tickets", response={201: dict})
def ticket_create(request: ApiRequest, payload: TicketIn) -> Status:
    permissions.require(request.auth, Action.LOG_INTERACTION)
    customer = visible_customer(request.auth, payload.customer_id, include_archived=False)
    permissions.require(request.auth, Action.LOG_INTERACTION, customer)
    data = payload.dict(exclude={"customer_id", "product_id"})
    product = None
    if payload.product_id is not None:
        product = Product.objects.filter(pk=payload.product_id).first()
        if product is None:
            raise ValidationError({"product_id": "No such product."})
    ticket = services.ticket_create(customer=customer, by=request.auth, product=product, **data)
    ticket = Ticket.objects.select_related("customer", "assigned_to", "team").get(pk=ticket.pk)
    return Status(201, ticket_out(ticket, user=request.auth, thread=True))


def _serving(request: ApiRequest, pk: int) -> Ticket:
    permissions.require(request.auth, Action.CHANGE)
    ticket = _ticket(request, pk)
    permissions.require(request.auth, Action.CHANGE, ticket)
    return ticket


@router.post("/tickets/{pk}/messages", response={201: dict})
def ticket_message(request: ApiRequest, pk: int, payload: MessageIn) -> Status:
    """A public reply (the first is the first response; ``waiting`` stops the clock until
    the customer answers) or, with ``internal``, a staff-only note."""
    ticket = _serving(request, pk)
    if payload.internal:
        if not notes_shown(request.auth):
            raise Http404
        services.ticket_note(ticket=ticket, by=request.auth, body=payload.body)
    else:
        services.ticket_reply(ticket=ticket, by=request.auth, body=payload.body,
                              waiting=payload.waiting)  # fmt: skip
    return Status(201, ticket_out(_ticket(request, pk), user=request.auth, thread=True))


@router.post("/tickets/{pk}/status")
def ticket_status(request: ApiRequest, pk: int, payload: StatusIn) -> dict[str, Any]:
    ticket = _serving(request, pk)
    if payload.status == "resolved":
        services.ticket_resolve(ticket=ticket, by=request.auth, resolution=payload.resolution,
                                root_cause=payload.root_cause,
                                corrective_action=payload.corrective_action)  # fmt: skip
    elif payload.status == "reopened":
        services.ticket_reopen(ticket=ticket, by=request.auth, reason=payload.reason)
    else:
        services.ticket_change_status(ticket=ticket, by=request.auth, status=payload.status)
    return ticket_out(_ticket(request, pk), user=request.auth, thread=True)
