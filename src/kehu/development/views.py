"""Development pages: the lead list, a lead's page (MAN, grade, touches, conversion with the
matching customers shown first), the new-lead form and the review list. Thin: reads through
the selectors, writes through the services, permissions through ``permissions.require``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions, validators
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.development import due, selectors, services
from kehu.development.forms import DisqualifyForm, GradeForm, LeadForm, ManForm, TouchForm
from kehu.development.models import Card, Grade, Lead

PAGE_SIZE = 50
# Due cards shown per kind on the review list, most overdue first; "More" adds as many again.
REVIEW_ROWS = 25


def _lead(request: HttpRequest, pk: int) -> Lead:
    lead = selectors.visible_lead(request.user, pk)
    if lead is None:
        raise Http404
    return lead


def _masked(user: Any) -> bool:
    return not permissions.can(user, Action.SEE_PERSONAL_DATA)


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.VIEW)
    g = request.GET
    filters = selectors.LeadFilters(
        q=g.get("q", "").strip()[:100],
        status=g.get("status", "") if g.get("status") in Lead.Status.values else "",
        source=g.get("source", "") if g.get("source") in Lead.Source.values else "",
        grade=g.get("grade", "") if g.get("grade") in Grade.values else "",
        owner=int_param(request, "owner"),
    )
    page = int_param(request, "page", default=1, maximum=100_000) or 1
    qs = selectors.lead_list(user=request.user, filters=filters)
    offset = (page - 1) * PAGE_SIZE
    rows = list(qs[offset : offset + PAGE_SIZE + 1])
    params = g.copy()
    params.pop("page", None)
    context = {
        "leads": rows[:PAGE_SIZE],
        "filters": filters,
        "page": page,
        "next_page": page + 1 if len(rows) > PAGE_SIZE else None,
        "prev_page": page - 1 if page > 1 else None,
        "query_string": params.urlencode(),
        "masked": _masked(request.user),
        "statuses": Lead.Status.choices,
        "sources": Lead.Source.choices,
        "grades": Grade.choices,
        "can_change": permissions.can(request.user, Action.CHANGE),
        "can_review": permissions.can(request.user, Action.REASSIGN),
    }
    template = (
        "development/_lead_rows.html"
        if request.headers.get("HX-Request")
        else "development/lead_list.html"
    )
    return render(request, template, context)


@login_required
def lead_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    form = LeadForm(request.POST or None)
    similar: list = []
    matches: list = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        grade = data.pop("grade")
        referred = data.pop("referred_by")
        if referred:
            customer = permissions.visible_customers(request.user).filter(pk=referred).first()
            if customer is None:
                form.add_error("referred_by", _("No such customer."))
            data["referred_by"] = customer
        if form.is_valid() and request.POST.get("confirm_duplicate") != "1":
            from kehu.quality.warning import duplicate_warning

            similar = selectors.similar_leads(user=request.user, fields=data)
            matches = duplicate_warning(user=request.user, fields=data)
        if form.is_valid() and not similar and not matches:
            try:
                lead = services.lead_create(
                    by=request.user, owner=request.user, grade=grade, **data
                )
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Lead created."))
                return redirect("development:lead_detail", pk=lead.pk)
    return render(
        request,
        "development/lead_form.html",
        {"form": form, "similar": similar, "matches": matches},
    )


def _detail_context(request: HttpRequest, lead: Lead, **extra: Any) -> dict[str, Any]:
    user = request.user
    card = getattr(lead, "card", None)
    return {
        "lead": lead,
        "card": card,
        "masked": _masked(user),
        "can_change": permissions.can(user, Action.CHANGE, lead),
        "can_history": permissions.can(user, Action.SEE_HISTORY, lead),
        "man_form": ManForm(initial={f: getattr(lead, f) for f in ManForm.base_fields}),
        "grade_form": GradeForm(initial={"grade": card.grade if card else "C"}),
        "touch_form": TouchForm(),
        "disqualify_form": DisqualifyForm(),
        "grade_history": selectors.grade_history(card=card) if card else [],
        "touches": list(lead.touches.select_related("user")[:50]),
        "events": selectors.lead_audit(lead=lead)
        if permissions.can(user, Action.SEE_HISTORY, lead)
        else [],
        "matches": extra.pop("matches", None),
        **extra,
    }


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    return render(request, "development/lead_detail.html", _detail_context(request, lead))


def _changing(request: HttpRequest, pk: int) -> Lead:
    permissions.require(request.user, Action.CHANGE)
    lead = _lead(request, pk)
    permissions.require(request.user, Action.CHANGE, lead)
    return lead


def _refused(request: HttpRequest, lead: Lead, exc: ValidationError, **forms: Any) -> HttpResponse:
    messages.error(request, " ".join(exc.messages))
    context = _detail_context(request, lead, **forms)
    return render(request, "development/lead_detail.html", context, status=422)


def _lead_post(
    request: HttpRequest,
    lead: Lead,
    form_class: type[forms.Form],
    form_name: str,
    write: Callable[[dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    """The shape every change on the lead's page shares: bind the form, re-show the page
    with its errors (422) when it is invalid or the service refuses, else write, say so
    and go back to the lead."""
    form = form_class(request.POST)
    if not form.is_valid():
        context = _detail_context(request, lead, **{form_name: form})
        return render(request, "development/lead_detail.html", context, status=422)
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, lead, exc, **{form_name: form})
    messages.success(request, success)
    return redirect("development:lead_detail", pk=lead.pk)


@login_required
@require_POST
def lead_man(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changing(request, pk)
    return _lead_post(
        request,
        lead,
        ManForm,
        "man_form",
        lambda data: services.lead_qualify(lead=lead, by=request.user, **data),
        _("Qualification saved."),
    )


@login_required
@require_POST
def lead_grade(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changing(request, pk)
    card = getattr(lead, "card", None)
    if card is None:
        raise Http404
    return _lead_post(
        request,
        lead,
        GradeForm,
        "grade_form",
        lambda data: services.card_regrade(card=card, by=request.user, **data),
        _("Grade changed."),
    )


@login_required
@require_POST
def lead_touch(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changing(request, pk)
    return _lead_post(
        request,
        lead,
        TouchForm,
        "touch_form",
        lambda data: services.touch_log(lead=lead, by=request.user, **data),
        _("Contact logged."),
    )


@login_required
@require_POST
def lead_disqualify(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _changing(request, pk)
    return _lead_post(
        request,
        lead,
        DisqualifyForm,
        "disqualify_form",
        lambda data: services.lead_disqualify(lead=lead, by=request.user, reason=data["reason"]),
        _("Lead disqualified; it stays on file."),
    )


@login_required
def lead_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the customers the lead resembles, shown before anything happens. POST: convert,
    into a chosen match (``into``) or as a new customer (``new=1``, a deliberate choice when
    there are matches)."""
    lead = _changing(request, pk)
    matches = selectors.lead_matches(user=request.user, lead=lead)
    if request.method != "POST":
        return render(
            request,
            "development/lead_convert.html",
            {"lead": lead, "matches": matches, "masked": _masked(request.user)},
        )
    into = None
    into_id = int_param(request.POST, "into")
    if into_id is not None:
        into = permissions.visible_customers(request.user).filter(pk=into_id).first()
        if into is None:
            raise Http404
    try:
        result = services.lead_convert(
            lead=lead,
            by=request.user,
            into=into,
            candidates=matches,
            allow_duplicate=request.POST.get("new") == "1",
        )
    except services.MatchFound:
        messages.error(
            request,
            _(
                "This lead looks like an existing customer: choose it, or create a new customer deliberately."
            ),
        )
        return render(
            request,
            "development/lead_convert.html",
            {"lead": lead, "matches": matches, "masked": _masked(request.user)},
            status=409,
        )
    except ValidationError as exc:
        return _refused(request, lead, exc)
    messages.success(request, _("Lead converted into a customer."))
    return redirect("customers:detail", pk=result.customer.pk)


def _visible_card(request: HttpRequest, pk: int) -> Card:
    permissions.require(request.user, Action.CHANGE)
    card = get_object_or_404(Card.objects.select_related("lead", "customer"), pk=pk)
    if not permissions.can(request.user, Action.CHANGE, card):
        raise Http404
    return card


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("development:reviews")


@login_required
@require_POST
def card_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    card = _visible_card(request, pk)
    services.card_reviewed(card=card, by=request.user)
    messages.success(request, _("Card %(number)s reviewed.") % {"number": card.number})
    return _back(request)


@login_required
@require_POST
def card_contacted(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("call", "visit"):
        raise Http404
    card = _visible_card(request, pk)
    services.card_contacted(card=card, kind=kind, by=request.user)
    messages.success(request, _("Card %(number)s: contact recorded.") % {"number": card.number})
    return _back(request)


def _on_date(request: HttpRequest) -> dt.date:
    """``?on=YYYY-MM-DD``: what will be due by that day (planning ahead); default today."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        day = validators.clean_date(raw[:40])
    except ValidationError as exc:
        raise BadRequest(" ".join(exc.messages)) from None
    return day or timezone.localdate()


def _review_section(request: HttpRequest, *, kind: str, scope: str, today: dt.date) -> dict:
    after = (
        due.parse_after(request.GET.get("after", "")) if request.GET.get("kind") == kind else None
    )
    page = due.due_page(
        user=request.user, today=today, kind=kind, scope=scope, after=after, size=REVIEW_ROWS
    )
    back = {"scope": scope}
    if request.GET.get("on"):
        back["on"] = today.isoformat()
    query = {**back, "kind": kind, "after": page.next_after}
    return {
        # Where "Reviewed"/"Done" returns to: the list itself, not the page of "More" rows.
        "back": f"{request.path}?{urlencode(back)}",
        "kind": kind,
        "label": due.KINDS[kind][1],
        "rows": due.review_rows(page.cards, kind),
        "more_query": urlencode(query) if page.next_after else "",
    }


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Cards due for review, calls and visits, for me (or, for managers, my teams): per kind
    the number due and the most overdue first, a page at a time ("More" adds the next)."""
    permissions.require(request.user, Action.CHANGE)
    can_team = permissions.can(request.user, Action.REASSIGN)
    scope = "team" if request.GET.get("scope") == "team" and can_team else "mine"
    today = _on_date(request)
    only = request.GET.get("kind", "")
    if only and only not in due.KINDS:
        raise BadRequest(_("Unknown kind: %(kind)s") % {"kind": only[:40]})
    if only and request.headers.get("HX-Request"):
        # "More" in a section: just the next rows, appended where the button was.
        section = _review_section(request, kind=only, scope=scope, today=today)
        return render(request, "development/_review_rows.html", {"section": section})
    sections = []
    for kind in [only] if only else list(due.KINDS):
        section = _review_section(request, kind=kind, scope=scope, today=today)
        section["count"] = due.due_count(user=request.user, today=today, kind=kind, scope=scope)
        sections.append(section)
    return render(
        request,
        "development/review_list.html",
        {
            "sections": sections,
            "today": today,
            "scope": scope,
            "can_team": can_team,
            "count_cap": due.COUNT_CAP,
            "only": only,
        },
    )
