"""The pipeline board (open deals by stage, with the forecast) and the development report
(new leads and customers by source, rep and month; conversion rate and time to convert)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.development import opportunities
from kehu.development.models import Lead, Opportunity
from kehu.development.rules import visible_leads


def _board(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    mine = request.GET.get("mine") == "1" or request.POST.get("mine") == "1"
    return {
        "columns": opportunities.board(user=request.user, mine=mine),
        "stages": Opportunity.Stage.choices,
        "mine": mine,
        "can_change": permissions.can(request.user, Action.CHANGE),
        **extra,
    }


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.VIEW)
    return render(request, "development/pipeline.html", _board(request))


@login_required
@require_POST
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a deal (htmx: the board comes back in place; without htmx: the whole page)."""
    permissions.require(request.user, Action.CHANGE)
    opportunity = opportunities.visible_opportunities(request.user).filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    error = ""
    try:
        opportunities.opportunity_move(
            opportunity=opportunity,
            stage=request.POST.get("stage", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    template = (
        "development/_board.html"
        if request.headers.get("HX-Request")
        else "development/pipeline.html"
    )
    status = 422 if error else 200
    return render(request, template, _board(request, error=error), status=status)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Development report: whose leads ``visible_leads`` allows, counted by the database."""
    permissions.require(request.user, Action.SEE_REPORTS)
    leads = visible_leads(request.user)
    converted = Q(status=Lead.Status.CONVERTED)
    by_source = (
        leads.values("source")
        .annotate(
            leads=Count("id"),
            customers=Count("id", filter=converted),
            days=Avg(F("converted_at") - F("created_at"), filter=converted),
        )
        .order_by("source")
    )
    labels = dict(Lead.Source.choices)
    sources = [
        {
            "label": labels.get(row["source"], row["source"]),
            "leads": row["leads"],
            "customers": row["customers"],
            "rate": row["customers"] / row["leads"] if row["leads"] else 0,
            "days": row["days"].total_seconds() / 86400 if row["days"] is not None else None,
        }
        for row in by_source
    ]
    by_rep = (
        leads.values("owner__username", "owner__first_name")
        .annotate(leads=Count("id"), customers=Count("id", filter=converted))
        .order_by("-leads")[:100]
    )
    by_month = (
        leads.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(leads=Count("id"), customers=Count("id", filter=converted))
        .order_by("-month")[:24]
    )
    by_city = (
        leads.exclude(city="")
        .values("city")
        .annotate(leads=Count("id"), customers=Count("id", filter=converted))
        .order_by("-leads")[:30]
    )
    return render(
        request,
        "development/report.html",
        {
            "sources": sources,
            "reps": by_rep,
            "months": by_month,
            "cities": by_city,
            "can_review": permissions.can(request.user, Action.REASSIGN),
        },
    )


# --- cards of customers ---------------------------------------------------------------------


@login_required
def customer_card(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """A customer's development card: opened (numbered, graded C) on a POST when it has
    none; regraded with a reason; its cadence dates and grade history."""
    from kehu.development import selectors, services
    from kehu.development.forms import GradeForm
    from kehu.development.models import Card

    customer = (
        permissions.visible_customers(request.user, include_archived=True)
        .filter(pk=customer_pk)
        .first()
    )
    if customer is None:
        raise Http404
    card = Card.objects.filter(customer=customer).first()
    form = GradeForm(initial={"grade": card.grade if card else "C"})
    status = 200
    if request.method == "POST":
        permissions.require(request.user, Action.CHANGE)
        if card is None:
            card = services.card_for_customer(customer=customer, by=request.user)
        else:
            form = GradeForm(request.POST)
            if form.is_valid():
                card = services.card_regrade(card=card, by=request.user, **form.cleaned_data)
            else:
                status = 422
    context = {
        "customer": customer,
        "card": card,
        "grade_form": form,
        "grade_history": selectors.grade_history(card=card) if card else [],
        "can_change": permissions.can(request.user, Action.CHANGE, customer),
    }
    return render(request, "development/customer_card.html", context, status=status)
