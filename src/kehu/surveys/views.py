"""Survey pages for staff: results (CSAT and NPS by team, agent, category and tier over
months, response rates), the satisfaction → loyalty curve and its export, the answers, the
surveys (research surveys defined by managers and administrators), and a customer's link
(e-mail, SMS text, QR code). Thin: reads through the selectors (visibility), writes through
the services, permissions through ``can``/``require``."""

from __future__ import annotations

import csv
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kehu.analytics.satisfaction import as_table, satisfaction_curve
from kehu.core import permissions
from kehu.core.exports import spreadsheet_safe
from kehu.core.masking import Mask, mask_value
from kehu.core.models import Role
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.surveys import forms, selectors, services
from kehu.surveys.models import Invitation, Survey

PAGE_SIZE = 50
MONTH_CHOICES = (3, 6, 12, 24)
BY_CHOICES = {"": "", "team": "team", "agent": "agent", "category": "category", "tier": "tier"}


def _staff(user: Any) -> None:
    """Survey data is the company's: partner users are refused (403) like every role that
    may not see any of it."""
    permissions.require(user, Action.VIEW)
    if permissions.role_of(user) == Role.PARTNER:
        raise PermissionDenied


def _months(request: HttpRequest) -> int:
    months = int_param(request, "months") or 12
    return months if months in MONTH_CHOICES else 12


@login_required
def results(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    months = _months(request)
    by = request.GET.get("by", "")
    by = by if by in BY_CHOICES else ""
    rows = selectors.results(user=request.user, months=months, by=by)
    rates = selectors.response_rates(user=request.user, months=months)
    kinds = dict(Survey.Kind.choices)
    return render(request, "surveys/results.html", {
        "rows": rows[::-1], "rates": [(r, kinds.get(r.kind, r.kind)) for r in rates[::-1]],
        "months": months, "month_choices": MONTH_CHOICES, "by": by,
        "by_choices": [("", _("Overall")), ("team", _("Team")), ("agent", pgettext("survey results", "Agent")),
                       ("category", _("Category")), ("tier", _("Tier"))],
    })  # fmt: skip


def _curve(user: Any) -> list[dict]:
    return as_table(satisfaction_curve(selectors.loyalty_table(user)))


@login_required
def loyalty(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    table = _curve(request.user)
    chart = {
        "scores": [r["score"] for r in table],
        "retention": [r["retention_pct"] for r in table],
        "retention_low": [r["retention_low_pct"] for r in table],
        "retention_high": [r["retention_high_pct"] for r in table],
        "repeat": [r["repeat_pct"] for r in table],
        "repeat_low": [r["repeat_low_pct"] for r in table],
        "repeat_high": [r["repeat_high_pct"] for r in table],
        "labels": {"retention": pgettext("survey chart", "Retention rate (%)"),
                   "repeat": pgettext("survey chart", "Repeat purchase (%)"),
                   "band": _("95% confidence band"), "score": _("Satisfaction score (CSAT)")},
    }  # fmt: skip
    return render(request, "surveys/loyalty.html", {
        "table": table, "chart": chart, "answered": sum(r["customers"] for r in table),
        "can_export": permissions.can(request.user, Action.EXPORT),
    })  # fmt: skip


@login_required
def loyalty_csv(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    permissions.require(request.user, Action.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="satisfaction-loyalty.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with the mark
    writer = csv.writer(response)
    columns = ["score", "customers", "retained", "repurchased", "retention_pct",
               "retention_low_pct", "retention_high_pct", "repeat_pct", "repeat_low_pct",
               "repeat_high_pct"]  # fmt: skip
    writer.writerow(columns)
    for row in _curve(request.user):
        writer.writerow([spreadsheet_safe("" if row[c] is None else row[c]) for c in columns])
    return response


@login_required
def responses(request: HttpRequest) -> HttpResponse:
    _staff(request.user)
    qs = selectors.visible_responses(request.user).select_related("customer", "survey", "ticket")
    kind = request.GET.get("kind", "")
    if kind in Survey.Kind.values:
        qs = qs.filter(kind=kind)
    customer = int_param(request, "customer")
    if customer is not None:
        qs = qs.filter(customer_id=customer)
    page = Paginator(qs, PAGE_SIZE, allow_empty_first_page=True).get_page(
        int_param(request, "page") or 1
    )
    masked = not permissions.can(request.user, Action.SEE_PERSONAL_DATA)
    rows = [(r, mask_value(Mask.WHOLE, r.comment) if masked else r.comment) for r in page]
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "surveys/responses.html", {
        "page": page, "rows": rows, "kind": kind, "kinds": Survey.Kind.choices,
        "query": params.urlencode(), "masked": masked,
    })  # fmt: skip


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _staff(request.user)
    surveys = permissions.restrict(Survey.objects.all(), request.user).prefetch_related("questions")
    return render(request, "surveys/survey_list.html", {
        "surveys": surveys, "can_configure": permissions.can(request.user, Action.CONFIGURE),
    })  # fmt: skip


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CONFIGURE)
    form = forms.ResearchSurveyForm(request.POST or None)
    questions = forms.QuestionFormSet(request.POST or None, prefix="q")
    if request.method == "POST":
        if form.is_valid() and questions.is_valid():
            filled = [q.cleaned_data for q in questions if q.cleaned_data]
            try:
                survey = services.research_survey_create(
                    by=request.user, fields=form.cleaned_data, questions=filled
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Survey “%(name)s” saved.") % {"name": survey.name})
                return redirect("surveys:list")
        return render(request, "surveys/survey_form.html",
                      {"form": form, "questions": questions}, status=400)  # fmt: skip
    return render(request, "surveys/survey_form.html", {"form": form, "questions": questions})


def _customer(request: HttpRequest, pk: int) -> Customer:
    customer = permissions.visible_customers(request.user).filter(pk=pk).first()
    if customer is None:
        raise Http404
    return permissions.loaded_for(customer, request.user)


def _link_page(request: HttpRequest, invitation: Invitation, token: str) -> HttpResponse:
    url = services.answer_url(token)
    absolute = url if url.startswith("http") else request.build_absolute_uri(url)
    qr = segno.make(absolute, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return render(request, "surveys/link.html", {
        "invitation": invitation, "url": absolute, "qr": qr,
        "sms": services.invitation_text(invitation, token).replace(url, absolute),
        "sms_en": services.invitation_text(invitation, token, language="en").replace(url, absolute),
    })  # fmt: skip


@login_required
def invite(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """Ask one customer a survey (NPS or a research survey) now: the link is shown once, to
    text or show as a QR code, and e-mailed when the customer has an address."""
    _staff(request.user)
    customer = _customer(request, customer_pk)
    permissions.require(request.user, Action.CHANGE, customer)
    choices = Survey.objects.filter(
        is_active=True, kind__in=[Survey.Kind.NPS, Survey.Kind.RESEARCH]
    )
    if request.method != "POST":
        return render(request, "surveys/invite.html", {"customer": customer, "surveys": choices,
                                                        "has_nps": choices.filter(kind="nps").exists()})  # fmt: skip
    survey_pk = request.POST.get("survey", "")
    survey: Survey | None
    if survey_pk == "nps":
        survey = services.standard_survey(Survey.Kind.NPS)
    else:
        survey = choices.filter(pk=int(survey_pk) if survey_pk.isdigit() else 0).first()
    if survey is None:
        return render(request, "surveys/invite.html", {
            "customer": customer, "surveys": choices, "error": _("Choose a survey."),
        }, status=400)  # fmt: skip
    invitation, token = services.invitation_create(
        survey=survey, customer=customer, by=request.user,
        email=request.POST.get("email") == "1",
    )  # fmt: skip
    assert token is not None  # a survey not about a ticket or order always gets a new link
    return _link_page(request, invitation, token)


@login_required
@require_POST
def relink(request: HttpRequest, pk: int) -> HttpResponse:
    """A new link for an unanswered invitation (the old one stops working)."""
    _staff(request.user)
    invitation = selectors.visible_invitations(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    permissions.require(request.user, Action.CHANGE, invitation.customer)
    try:
        token = services.invitation_reissue(invitation=invitation, by=request.user)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=409, content_type="text/plain")
    invitation.refresh_from_db()
    return _link_page(request, invitation, token)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """A customer's invitations (answered or not), to give an unanswered one a new link."""
    _staff(request.user)
    customer = _customer(request, int_param(request, "customer") or 0)
    rows = (
        selectors.visible_invitations(request.user)
        .filter(customer=customer)
        .select_related("survey", "response")
    )
    return render(request, "surveys/invitations.html", {
        "customer": customer, "rows": rows[:100],
        "can_change": permissions.can(request.user, Action.CHANGE, customer),
    })  # fmt: skip
