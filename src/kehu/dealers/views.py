"""Dealer onboarding pages: the list (state filter), starting one, the detail with its
checklist and the form of the current step. Views are thin: the services decide."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.models import Role
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.dealers import forms, services
from kehu.dealers.models import Onboarding
from kehu.dealers.rules import visible_onboardings

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, msgs in exc.message_dict.items() for m in msgs]
    return list(exc.messages)


def _eligible(user: Any):
    """Company customers the user may start an onboarding for (a rep: their own), without
    one in progress or approved."""
    qs = permissions.visible_customers(user).filter(kind=Customer.Kind.COMPANY)
    if permissions.role_of(user) == Role.SALES:
        qs = qs.filter(owner_id=user.pk)
    taken = Onboarding.objects.exclude(state=Onboarding.State.REJECTED).values("customer_id")
    return qs.exclude(pk__in=taken).order_by("name")[:200]


@login_required
def onboarding_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.VIEW_ONBOARDING)
    state = request.GET.get("state", "")
    state = state if state in Onboarding.State.values else ""
    qs = visible_onboardings(request.user).select_related("customer", "owner", "partner")
    if state:
        qs = qs.filter(state=state)
    page = int_param(request, "page", default=1, maximum=100_000) or 1
    rows = list(qs.order_by("-created_at", "-id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    can_start = permissions.can(request.user, Action.START_ONBOARDING)
    context = {
        "onboardings": rows[:PAGE_SIZE],
        "state": state,
        "states": Onboarding.State.choices,
        "page": page,
        "next_page": page + 1 if len(rows) > PAGE_SIZE else None,
        "prev_page": page - 1 if page > 1 else None,
        "can_start": can_start,
        "eligible": list(_eligible(request.user)) if can_start else [],
    }
    return render(request, "dealers/list.html", context)


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.START_ONBOARDING)
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        return _list_error(request, [str(e) for e in form.errors.get("customer", [])])
    customer = get_object_or_404(
        permissions.visible_customers(request.user), pk=form.cleaned_data["customer"]
    )
    try:
        ob = services.start(customer=customer, by=request.user)
    except ValidationError as exc:
        return _list_error(request, _errors(exc))
    return redirect("dealers:detail", ob.pk)


def _list_error(request: HttpRequest, errors: list[str]) -> HttpResponse:
    context = {
        "onboardings": [],
        "states": Onboarding.State.choices,
        "state": "",
        "can_start": True,
        "eligible": list(_eligible(request.user)),
        "errors": errors,
    }
    return render(request, "dealers/list.html", context, status=400)


def _load(request: HttpRequest, pk: int) -> Onboarding:
    permissions.require(request.user, Action.VIEW_ONBOARDING)
    return get_object_or_404(
        visible_onboardings(request.user).select_related(
            "customer", "owner", "partner", "credit_by", "terms_by", "contract_by", "decided_by"
        ),
        pk=pk,
    )


def _detail(
    request: HttpRequest, ob: Onboarding, *, errors=None, bound: dict | None = None, status=200
) -> HttpResponse:
    can_run = permissions.can(request.user, Action.RUN_ONBOARDING)
    bound = bound or {}
    step_forms = {
        "credit": bound.get("credit") or forms.CreditForm(),
        "terms": bound.get("terms")
        or forms.TermsForm(
            initial={"payment_terms": "net30" if (ob.credit_limit or 0) > 0 else "prepaid"}
        ),
        "contract": bound.get("contract") or forms.ContractForm(),
        "reject": bound.get("reject") or forms.RejectForm(),
        "user": bound.get("user") or forms.DealerUserForm(),
    }
    State = Onboarding.State
    order = [State.CREDIT, State.TERMS, State.CONTRACT, State.APPROVAL, State.APPROVED]
    reached = order.index(State(ob.state)) if ob.state in order else -1
    checklist = [
        {"label": State.CREDIT.label, "done": ob.credit_at, "by": ob.credit_by},
        {"label": State.TERMS.label, "done": ob.terms_at, "by": ob.terms_by},
        {"label": State.CONTRACT.label, "done": ob.contract_at, "by": ob.contract_by},
        {
            "label": State.REJECTED.label if ob.state == State.REJECTED else State.APPROVED.label,
            "done": ob.decided_at,
            "by": ob.decided_by,
        },
    ]
    context = {
        "ob": ob,
        "checklist": checklist,
        "reached": reached,
        "can_run": can_run,
        "is_admin": permissions.role_of(request.user) == Role.ADMIN,
        "forms": step_forms,
        "errors": errors or [],
        "dealer_users": ob.partner.users.select_related("user") if ob.partner else [],
    }
    return render(request, "dealers/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _load(request, pk))


@login_required
def contract_file(request: HttpRequest, pk: int) -> FileResponse:
    # Served through the permission check, never from a public media URL.
    ob = _load(request, pk)
    if not ob.contract_file:
        raise Http404
    return FileResponse(ob.contract_file.open("rb"), as_attachment=True)


def _run(request: HttpRequest, pk: int, name: str, form_class, call) -> HttpResponse:
    # The role first (403 reveals nothing), then the record (404 if not visible).
    permissions.require(request.user, Action.RUN_ONBOARDING)
    ob = _load(request, pk)
    permissions.require(request.user, Action.RUN_ONBOARDING, ob)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        errors = [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() for e in errs]
        return _detail(request, ob, errors=errors, bound={name: form}, status=400)
    try:
        call(ob, form.cleaned_data)
    except ValidationError as exc:
        ob.refresh_from_db()
        return _detail(request, ob, errors=_errors(exc), bound={name: form}, status=400)
    return redirect("dealers:detail", ob.pk)


@login_required
@require_POST
def credit_step(request: HttpRequest, pk: int) -> HttpResponse:
    def call(ob, d):
        services.evaluate_credit(
            onboarding=ob,
            by=request.user,
            today=_today(),
            annual_revenue=d["annual_revenue"],
            years_in_business=d["years_in_business"],
            registered_capital=d["registered_capital"],
            credit_limit=d["credit_limit"],
            note=d["credit_note"],
        )

    return _run(request, pk, "credit", forms.CreditForm, call)


@login_required
@require_POST
def terms_step(request: HttpRequest, pk: int) -> HttpResponse:
    def call(ob, d):
        services.set_terms(onboarding=ob, by=request.user, terms=d["payment_terms"])

    return _run(request, pk, "terms", forms.TermsForm, call)


@login_required
@require_POST
def contract_step(request: HttpRequest, pk: int) -> HttpResponse:
    def call(ob, d):
        services.record_contract(
            onboarding=ob,
            by=request.user,
            document=d["contract_file"],
            starts_on=d["contract_start"],
            ends_on=d["contract_end"],
            renewal_days=d["renewal_days"],
        )

    return _run(request, pk, "contract", forms.ContractForm, call)


@login_required
@require_POST
def approve_step(request: HttpRequest, pk: int) -> HttpResponse:
    # The role first (403 reveals nothing), then the record (404 if not visible).
    permissions.require(request.user, Action.RUN_ONBOARDING)
    ob = _load(request, pk)
    permissions.require(request.user, Action.RUN_ONBOARDING, ob)
    try:
        services.approve(onboarding=ob, by=request.user)
    except ValidationError as exc:
        return _detail(request, ob, errors=_errors(exc), status=400)
    return redirect("dealers:detail", ob.pk)


@login_required
@require_POST
def reject_step(request: HttpRequest, pk: int) -> HttpResponse:
    def call(ob, d):
        services.reject(onboarding=ob, by=request.user, reason=d["rejection_reason"])

    return _run(request, pk, "reject", forms.RejectForm, call)


@login_required
@require_POST
def add_user(request: HttpRequest, pk: int) -> HttpResponse:
    def call(ob, d):
        services.add_dealer_user(
            onboarding=ob,
            by=request.user,
            username=d["username"],
            email=d["email"],
            password=d["password"],
        )

    return _run(request, pk, "user", forms.DealerUserForm, call)


def _today():
    from django.utils import timezone

    return timezone.localdate()
