"""Ownership pages: the owner picker, bulk reassign from the list, the public pool (公海)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.customers import ownership, selectors, services
from kehu.customers.forms import ReassignForm
from kehu.customers.views import MAX_OFFSET, _filters_from, _visible_customer


@login_required
def owner_picker(request: HttpRequest) -> HttpResponse:
    """htmx: the people the user may give customers to, matching the query (name, team)."""
    permissions.require(request.user, Action.REASSIGN)
    q = request.GET.get("owner_q") or request.GET.get("q", "")
    rows = list(ownership.assignable_owners(request.user, q)[:20])
    labels = [(u.pk, ownership.owner_label(u)) for u in rows]
    target = request.GET.get("target", "id_owner")
    if target not in ("id_owner", "id_to-owner"):
        target = "id_owner"
    return render(request, "customers/_owner_picker.html", {"owners": labels, "target": target})


def _bulk_selection(request: HttpRequest) -> tuple[Any, int, bool]:
    """The customers a bulk action is about: the ticked rows, or every row of the list's
    filter (``all=1``), within what the user sees; and how many, and whether too many."""
    params = request.POST if request.method == "POST" else request.GET
    filters = _filters_from(params)
    qs = selectors.customer_list(user=request.user, filters=filters).filter(is_archived=False)
    if params.get("all") != "1":
        ids = [int(i) for i in params.getlist("id") if i.isdigit()][: services.BULK_REASSIGN_MAX]
        qs = qs.filter(pk__in=ids)
    count, too_many = selectors.capped_count(qs, services.BULK_REASSIGN_MAX)
    return qs, count, too_many


@login_required
def customer_bulk_reassign(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.REASSIGN)
    qs, count, too_many = _bulk_selection(request)
    # Prefixed: the list's own filters (carried along) have an "owner" too.
    form = ReassignForm(request.POST or None, user=request.user, prefix="to")
    params = request.POST if request.method == "POST" else request.GET
    carried = [
        (k, v)
        for k in params
        if k not in ("to-owner", "to-reason", "owner_q", "csrfmiddlewaretoken")
        for v in params.getlist(k)
    ]
    status = 200
    if too_many:
        form.add_error(
            None,
            _("More than %(n)s customers: narrow the filter first.")
            % {"n": services.BULK_REASSIGN_MAX},
        )
        status = 400
    elif request.method == "POST" and not count:
        form.add_error(None, _("No customers selected."))
        status = 400
    elif request.method == "POST" and form.is_valid():
        moved = services.customers_reassign_bulk(
            customers=qs.select_related(None).order_by("id"),
            owner=form.cleaned_data["owner"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request, _("%(n)s customers reassigned; their history stays.") % {"n": moved}
        )
        return redirect("customers:list")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "count": count, "carried": carried}
    return render(request, "customers/bulk_reassign.html", context, status=status)


@login_required
def customer_pool(request: HttpRequest) -> HttpResponse:
    """The public pool (公海): customers without an owner the user sees, to claim."""
    permissions.require(request.user, Action.CLAIM)
    offset = min(int_param(request, "offset", minimum=0) or 0, MAX_OFFSET)
    rows = list(
        ownership.pool(request.user).select_related("team").order_by("-id")[offset : offset + 51]
    )
    context = {
        "customers": rows[:50],
        "next_offset": offset + 50 if len(rows) > 50 else None,
        "claimed_today": ownership.claims_today(request.user, now=timezone.now()),
        "claim_limit": ownership.claims_per_day(),
        "pool_days": ownership.pool_days(),
        "masked": not permissions.can(request.user, Action.SEE_PERSONAL_DATA),
    }
    return render(request, "customers/pool.html", context)


@login_required
@require_POST
def customer_claim(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.CLAIM)
    customer = _visible_customer(request, pk, include_archived=False)
    try:
        services.customer_claim(customer=customer, by=request.user)
    except services.ClaimRefused as refused:
        messages.error(request, refused.message)
        return redirect("customers:pool")
    messages.success(request, _("%(name)s is now yours.") % {"name": customer.name})
    return redirect("customers:detail", pk=customer.pk)
