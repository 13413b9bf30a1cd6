"""Retention pages: Today (the due list of every app), completing a task in two clicks, the
policy editor, a customer's retention status and flag, results against control, exit reasons
and win-back. Thin: permissions, a form, a service or selector, a template."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import duelist, permissions
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.retention import selectors, selectors_targets, services
from kehu.retention.forms import CompleteForm, ExitForm, FlagForm, PolicyForm
from kehu.retention.models import ExitReason, PolicyVersion, Task, WorthFlag
from kehu.retention.policy import BANDS, TIERS

MANAGER_SCOPES = ("mine", "team")
PAGE = 60


def _may_see_team(user: Any) -> bool:
    return permissions.can(user, Action.REASSIGN)  # managers and administrators


@login_required
def today(request: HttpRequest) -> HttpResponse:
    return _today(request)


def _today(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in MANAGER_SCOPES or (scope == "team" and not _may_see_team(request.user)):
        scope = "mine"
    day = timezone.localdate()
    # A page of the most pressing items: the list is sorted overdue first, then by value at
    # risk, so what is cut is the least urgent (the count says so).
    items = duelist.due_items(user=request.user, today=day, scope=scope, limit=PAGE + 1)  # type: ignore[arg-type]
    more = len(items) > PAGE
    items = items[:PAGE]
    return render(
        request,
        "retention/today.html",
        {
            "items": items,
            "today": day,
            "scope": scope,
            "may_see_team": _may_see_team(request.user),
            "may_see_targets": selectors_targets.may_see(request.user),
            "outcomes": Task.Outcome.choices,
            "reasons": ExitReason.Reason.choices,
            "overdue": sum(1 for i in items if i.overdue_on(day)),
            "more": more,
            "reason_options": format_html_join(
                "", '<option value="{}">{}</option>', ExitReason.Reason.choices
            ),
            "outcome_buttons": format_html_join(
                "",
                '<button name="outcome" value="{}"{}>{}</button>',
                (
                    (v, mark_safe(' class="primary"') if v == "saved" else "", label)
                    for v, label in Task.Outcome.choices
                ),
            ),
            # Labels translated once, not once per item (the page's main cost was template
            # work repeated for every item).
            "labels": {
                "done": _("Done…"),
                "note": _("Note (optional)"),
                "why": _("If they left: why?"),
                "words": _("In their words"),
                "overdue_since": _("Overdue since"),
                "due": _("Due"),
                "value": _("Value at risk"),
            },
        },
        status=status,
    )


def _task_for(request: HttpRequest, pk: int, action: Action) -> Task:
    task = Task.objects.select_related("customer", "policy_version").filter(pk=pk).first()
    if task is None:
        permissions.require(request.user, action)
        raise Http404
    permissions.require(request.user, action, task)
    return task


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk, Action.LOG_INTERACTION)
    form = CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        exit_ = None
        if data["outcome"] == Task.Outcome.LEFT:
            exit_ = services.ExitInput(reason=data["reason"], text=data["reason_text"])
        try:
            services.complete_task(
                task=task, outcome=data["outcome"], note=data["note"], exit=exit_, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Done: %(customer)s — %(outcome)s")
                % {"customer": task.customer.name, "outcome": Task.Outcome(data["outcome"]).label},
            )
            return redirect("today")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    # The form was wrong: the Today page again with the message, as a 400.
    return _today(request, status=400)


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    current = services.current_policy()
    may_edit = permissions.can(request.user, Action.EDIT_RETENTION_POLICY)
    form = PolicyForm(
        request.POST or None,
        codes=list(current.playbooks),
        cells=current.cells,
        initial={"playbooks": json.dumps(current.playbooks, indent=2, ensure_ascii=False)},
    )
    if request.method == "POST":
        permissions.require(request.user, Action.EDIT_RETENTION_POLICY)
        if form.is_valid():
            try:
                version = services.policy_save(
                    playbooks=form.cleaned_data["playbooks"],
                    cells=form.cells(),
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
                return redirect("retention:policy")
        status = 400
    else:
        status = 200
    return render(
        request,
        "retention/policy.html",
        {
            "current": current,
            "form": form,
            "may_edit": may_edit,
            "bands": BANDS,
            "tiers": TIERS,
            "versions": PolicyVersion.objects.select_related("created_by")[:20],
        },
        status=status,
    )


def _customer_for(request: HttpRequest, pk: int) -> Customer:
    customer = permissions.visible_customers(request.user, include_archived=True).filter(pk=pk)
    found = customer.first()
    if found is None:
        raise Http404
    return permissions.loaded_for(found, request.user)


@login_required
def customer_page(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk)
    context = {
        "customer": customer,
        **selectors.customer_status(customer=customer),
        "flag_form": FlagForm(),
        "exit_form": ExitForm(),
        "may_flag": permissions.can(request.user, Action.FLAG_NOT_WORTH_KEEPING, customer),
        "may_record_exit": permissions.can(request.user, Action.LOG_INTERACTION, customer),
    }
    return render(request, "retention/customer.html", context)


@login_required
@require_POST
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.FLAG_NOT_WORTH_KEEPING)
    customer = _customer_for(request, pk)
    form = FlagForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
        services.flag_customer(
            customer=customer,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("retention:customer", pk=customer.pk)
    messages.success(request, _("Flagged: no retention playbook for this customer."))
    return redirect("retention:customer", pk=customer.pk)


@login_required
@require_POST
def unflag(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.FLAG_NOT_WORTH_KEEPING)
    customer = _customer_for(request, pk)
    found = get_object_or_404(WorthFlag, customer=customer, cleared_at__isnull=True)
    services.clear_flag(flag=found, by=request.user)
    return redirect("retention:customer", pk=customer.pk)


@login_required
@require_POST
def record_exit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.LOG_INTERACTION)
    customer = _customer_for(request, pk)
    form = ExitForm(request.POST)
    if form.is_valid():
        try:
            services.record_exit(
                customer=customer,
                by=request.user,
                exit=services.ExitInput(**form.cleaned_data),
                left_on=timezone.localdate(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Exit reason recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("retention:customer", pk=customer.pk)


@login_required
def results_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    return render(
        request, "retention/results_list.html", {"groups": selectors.groups(user=request.user)}
    )


@login_required
def results_page(request: HttpRequest, group: str) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    result = selectors.results(user=request.user, group=group)
    if result.error == "none":
        raise Http404
    labels = {"retained": _("Retained"), "revenue": _("Revenue"), "profit": _("Profit")}
    chart = result.chart()
    chart["labels"] = [str(labels[k]) for k in chart["metrics"]]
    chart["names"] = {"treated": _("Treated"), "control": _("Control"), "lift": _("Lift")}
    return render(
        request,
        "retention/results.html",
        {"result": result, "labels": labels, "chart": chart},
    )


@login_required
def exits_page(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SEE_REPORTS)
    by = request.GET.get("by", "tier")
    if by not in selectors.BY:
        by = "tier"
    report = selectors.exit_reasons(user=request.user, by=by)
    return render(
        request,
        "retention/exits.html",
        {
            "report": report,
            "by": by,
            "reasons": ExitReason.Reason.choices,
            "winback": selectors.win_back(user=request.user)[:100],
        },
    )
