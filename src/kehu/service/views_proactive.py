"""Proactive suggestions page (E9): open suggestions for agents, owners and managers, each
accepted (→ a ticket or a call task) or dismissed with a reason. Thin: reads and writes in
``kehu.service.proactive``; 403 for a role that may never act (analysts, partner users),
404 for a suggestion whose customer the user may not see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion


def _may_act(request: HttpRequest) -> None:
    permissions.require(request.user, Action.CHANGE)
    if permissions.partner_of(request.user) is not None:
        raise PermissionDenied


@login_required
def suggestions(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    _may_act(request)
    qs = proactive.open_for(request.user, mine=request.GET.get("mine") == "1")
    kind = request.GET.get("kind", "")
    if kind in ProactiveSuggestion.Kind.values:
        qs = qs.filter(kind=kind)
    customer = int_param(request, "customer")
    if customer:
        qs = qs.filter(customer_id=customer)
    page = Paginator(qs, 50, allow_empty_first_page=True).get_page(int_param(request, "page") or 1)
    return render(
        request,
        "service/proactive.html",
        {
            "page": page,
            "suggestions": page.object_list,
            "kinds": ProactiveSuggestion.Kind.choices,
            "kind": kind,
            "mine": request.GET.get("mine") == "1",
            "error": error,
        },  # fmt: skip
        status=status,
    )


def _suggestion(request: HttpRequest, pk: int) -> ProactiveSuggestion:
    _may_act(request)
    found = proactive.suggestion_for(request.user, pk)
    if found is None:
        raise Http404
    permissions.require(request.user, Action.CHANGE, found)
    return found


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    s = _suggestion(request, pk)
    try:
        s = proactive.suggestion_accept(suggestion=s, by=request.user,
                                        as_=request.POST.get("as", ""))  # fmt: skip
    except ValidationError as exc:
        return suggestions(request, status=400, error=" ".join(exc.messages))
    if s.ticket_id is not None:
        messages.success(request, _("Ticket %(ref)s opened.") % {"ref": f"[#T{s.ticket_id}]"})
        if permissions.can(request.user, Action.VIEW, s.ticket):
            return redirect("service:detail", pk=s.ticket_id)
    else:
        messages.success(request, _("A call is on the due list for today."))
    return redirect("service:proactive")


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    s = _suggestion(request, pk)
    try:
        proactive.suggestion_dismiss(suggestion=s, by=request.user,
                                     reason=request.POST.get("reason", "")[:1000])  # fmt: skip
    except ValidationError as exc:
        return suggestions(request, status=400, error=" ".join(exc.messages))
    messages.success(request, _("Suggestion dismissed."))
    return redirect("service:proactive")
