"""Service pages: the VIP-first queue, a ticket with its thread and actions, a new ticket
(from the customer's 360 page in two clicks), attachments. Thin: reads through the
selectors (visibility), writes through the services, permissions through ``can``/``require``
(403 when the role never may; 404 for a ticket the user may not see)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.models import Team
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.service import forms, selectors, services
from kehu.service.models import Ticket, TicketAttachment

PAGE_SIZE = 50
QUEUE_COLUMNS = (
    "subject", "vip", "kind", "priority", "status", "due_at", "resolution_breached",
    "customer__name", "assigned_to__username", "assigned_to__first_name",
    "assigned_to__last_name", "team__name",
)  # fmt: skip


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    ticket = selectors.ticket_for(user=request.user, pk=pk)
    if ticket is None:
        raise Http404
    return ticket


def _filters(request: HttpRequest) -> selectors.QueueFilters:
    return selectors.QueueFilters(
        team=int_param(request, "team"),
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", ""),
        category=request.GET.get("category", "")[:100],
        mine=request.GET.get("mine") == "1",
        overdue=request.GET.get("overdue") == "1",
        customer=int_param(request, "customer"),
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.VIEW)
    filters = _filters(request)
    # Only what the page shows: each audited row loaded whole is snapshotted for the audit
    # trail, and 50 full customers cost more than the page's queries (bench/bench_queue.py).
    qs = selectors.queue(user=request.user, filters=filters).only(*QUEUE_COLUMNS)
    page = Paginator(qs, PAGE_SIZE, allow_empty_first_page=True).get_page(
        int_param(request, "page") or 1
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "service/queue.html",
        {
            "page": page,
            "tickets": page.object_list,
            "filters": filters,
            "query_string": params.urlencode(),
            "teams": Team.objects.order_by("name"),
            "statuses": [
                (s, lbl) for s, lbl in Ticket.Status.choices if s in selectors.QUEUE_STATUSES
            ],
            "kinds": Ticket.Kind.choices,
            "categories": selectors.categories(request.user),
        },
    )


def _detail_context(request: HttpRequest, ticket: Ticket, **forms_: Any) -> dict[str, Any]:
    user = request.user
    return {
        "ticket": ticket,
        "thread": selectors.thread(ticket=ticket, user=user),
        "can_serve": permissions.can(user, Action.CHANGE, ticket),
        "masked": not permissions.can(user, Action.SEE_PERSONAL_DATA),
        "reply_form": forms_.get("reply_form") or forms.ReplyForm(),
        "note_form": forms_.get("note_form") or forms.NoteForm(),
        "resolve_form": forms_.get("resolve_form")
        or forms.ResolveForm(
            initial={
                "resolution": ticket.resolution,
                "root_cause": ticket.root_cause,
                "corrective_action": ticket.corrective_action,
            }
        ),
        "reopen_form": forms.ReopenForm(),
        "next_statuses": [
            (s, Ticket.Status(s).label)
            for s in sorted(services.TRANSITIONS.get(ticket.status, ()))
            if s not in (Ticket.Status.RESOLVED, Ticket.Status.REOPENED)
        ],
        "error": forms_.get("error"),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    return render(request, "service/detail.html", _detail_context(request, ticket))


def _refused(
    request: HttpRequest, ticket: Ticket, error: Any = None, **forms_: Any
) -> HttpResponse:
    context = _detail_context(request, ticket, error=error, **forms_)
    return render(request, "service/detail.html", context, status=400)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _serving(request: HttpRequest, pk: int) -> Ticket:
    permissions.require(request.user, Action.CHANGE)
    ticket = _ticket(request, pk)
    permissions.require(request.user, Action.CHANGE, ticket)
    return ticket


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _serving(request, pk)
    form = forms.ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, ticket, reply_form=form)
    try:
        services.ticket_reply(ticket=ticket, by=request.user, body=form.cleaned_data["body"],
                              attachments=form.cleaned_data["attachments"],
                              waiting=form.cleaned_data["waiting"])  # fmt: skip
    except ValidationError as exc:
        return _refused(request, ticket, error=_errors(exc), reply_form=form)
    messages.success(request, _("Reply sent."))
    return redirect("service:detail", pk=ticket.pk)


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _serving(request, pk)
    permissions.require(request.user, Action.SEE_INTERNAL_NOTES, ticket)
    form = forms.NoteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, ticket, note_form=form)
    try:
        services.ticket_note(ticket=ticket, by=request.user, body=form.cleaned_data["body"],
                             attachments=form.cleaned_data["attachments"])  # fmt: skip
    except ValidationError as exc:
        return _refused(request, ticket, error=_errors(exc), note_form=form)
    messages.success(request, _("Note added."))
    return redirect("service:detail", pk=ticket.pk)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _serving(request, pk)
    form = forms.ResolveForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, resolve_form=form)
    try:
        services.ticket_resolve(ticket=ticket, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, ticket, error=_errors(exc), resolve_form=form)
    messages.success(request, _("Ticket resolved."))
    return redirect("service:detail", pk=ticket.pk)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _serving(request, pk)
    form = forms.ReopenForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket)
    try:
        services.ticket_reopen(ticket=ticket, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused(request, ticket, error=_errors(exc))
    messages.success(request, _("Ticket reopened."))
    return redirect("service:detail", pk=ticket.pk)


@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _serving(request, pk)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        return _refused(request, ticket, error=_("Choose a status."))
    try:
        services.ticket_change_status(
            ticket=ticket, by=request.user, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        return _refused(request, ticket, error=_errors(exc))
    return redirect("service:detail", pk=ticket.pk)


@login_required
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _serving(request, pk)
    services.ticket_assign(ticket=ticket, by=request.user, assignee=request.user)
    messages.success(request, _("The ticket is yours."))
    return redirect("service:detail", pk=ticket.pk)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.LOG_INTERACTION)
    customer_id = int_param(request, "customer")
    customer = (
        permissions.visible_customers(request.user).filter(pk=customer_id).first()
        if customer_id
        else None
    )
    if customer is None:
        raise Http404
    permissions.require(request.user, Action.LOG_INTERACTION, customer)
    if request.method == "POST":
        form = forms.TicketForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            mine = data.pop("assign_to_me") and permissions.role_may(request.user, Action.CHANGE)
            ticket = services.ticket_create(
                customer=customer, by=request.user, assignee=request.user if mine else None, **data
            )
            messages.success(request, _("Ticket %(ref)s opened.") % {"ref": ticket.reference})
            if permissions.can(request.user, Action.VIEW, ticket):
                return redirect("service:detail", pk=ticket.pk)
            return redirect("customers:detail", pk=customer.pk)
        status = 400
    else:
        form = forms.TicketForm()
        status = 200
    return render(request, "service/new.html", {"form": form, "customer": customer}, status=status)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = TicketAttachment.objects.select_related("message").filter(pk=pk).first()
    if item is None:
        raise Http404
    ticket = _ticket(request, item.message.ticket_id)
    if item.message.is_internal and not permissions.can(
        request.user, Action.SEE_INTERNAL_NOTES, ticket
    ):
        raise Http404
    if not permissions.can(request.user, Action.SEE_PERSONAL_DATA):
        raise Http404
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def screen_pop(request: HttpRequest) -> HttpResponse:
    """The incoming call for this agent (htmx polls it every few seconds): the customer,
    their open tickets and churn risk, or nothing."""
    from kehu.service import calls

    permissions.require(request.user, Action.CHANGE)
    call = calls.ringing_for(request.user)
    customer = None
    if call is not None and call.customer_id is not None:
        customer = permissions.visible_customers(request.user).filter(pk=call.customer_id).first()
    context = {
        "call": call,
        "customer": customer,
        "open_tickets": selectors.open_tickets_of(customer_id=customer.pk, user=request.user)
        if customer is not None
        else [],
        "masked": not permissions.can(request.user, Action.SEE_PERSONAL_DATA),
    }
    return render(request, "service/_screen_pop.html", context)
