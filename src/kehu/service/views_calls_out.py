"""Outbound call list page (E10): whom to call now, chosen by ``kehu.service.calllist``, and
the outcome of each call logged in one click. 403 for roles that never log contacts; 404 for
a customer the user may not see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers.models import Interaction
from kehu.service import calllist


def _require(request: HttpRequest) -> None:
    permissions.require(request.user, Action.LOG_INTERACTION)
    if permissions.partner_of(request.user) is not None:
        raise PermissionDenied


@login_required
def call_list(request: HttpRequest, status: int = 200, error: str = "") -> HttpResponse:
    _require(request)
    rows = calllist.call_list(user=request.user)
    outcomes = [(o.value, o.label) for o in calllist.OUTCOMES]
    masked = not permissions.can(request.user, Action.SEE_PERSONAL_DATA)
    return render(request, "service/calls_out.html",
                  {"rows": rows, "outcomes": outcomes, "masked": masked, "error": error},
                  status=status)  # fmt: skip


@login_required
@require_POST
def log(request: HttpRequest, customer_id: int) -> HttpResponse:
    _require(request)
    customer = permissions.visible_customers(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    minutes_text = request.POST.get("minutes", "").strip()
    try:
        minutes = int(minutes_text) if minutes_text else None
    except ValueError:
        return call_list(request, status=400, error=_("Minutes: a whole number from 1 to 1440."))
    try:
        calllist.log_call(user=request.user, customer=customer,
                          outcome=request.POST.get("outcome", ""),
                          note=request.POST.get("note", ""), minutes=minutes)  # fmt: skip
    except ValidationError as exc:
        return call_list(request, status=400, error=" ".join(exc.messages))
    outcome = Interaction.Outcome(request.POST["outcome"]).label
    messages.success(request, _("Call with %(name)s logged: %(outcome)s.")
                     % {"name": customer.name, "outcome": outcome})  # fmt: skip
    return redirect("service:calls_out")
