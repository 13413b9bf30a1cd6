"""Touch pages (F5): the mailing page (e-mail, printed letters, brochure), a holder's touches
(chosen dates, visits and invitations), and a task's page where it is done.

Recipients are offered and taken only through the user's visibility (touches.recipients)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.customers.models import Customer
from kehu.development import letters, touches
from kehu.development.due import touch_tasks_for
from kehu.development.forms_touches import DoneForm, MailingForm, SpecialDateForm, TaskForm
from kehu.development.greetings import festival_name
from kehu.development.models import Grade, Lead, Mailing, SpecialDate, TouchTask
from kehu.development.rules import visible_leads

OFFERED = 200  # recipients listed with a check box on the mailing page


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19]


def _audience(request: HttpRequest) -> dict[str, Any]:
    g = request.GET if request.method == "GET" else request.POST
    audience = g.get("audience") if g.get("audience") in ("leads", "customers") else "leads"
    city = g.get("city", "").strip()[:50]
    grade = g.get("grade", "") if g.get("grade") in Grade.values else ""
    if audience == "customers":
        qs = permissions.visible_customers(request.user)
        if city:
            qs = qs.filter(city=city)
        if grade:
            qs = qs.filter(development_card__grade=grade)
    else:
        qs = visible_leads(request.user).exclude(status=Lead.Status.CONVERTED)
        if city:
            qs = qs.filter(city=city)
        if grade:
            qs = qs.filter(card__grade=grade)
    return {
        "audience": audience,
        "city": city,
        "grade": grade,
        "offered": list(qs.order_by("-id")[:OFFERED]),
    }


@login_required
def mailing(request: HttpRequest) -> HttpResponse:
    """GET: choose recipients (leads or customers, by city and grade) and write the text.
    POST ``action``: ``email`` sends; ``letters`` / ``brochure`` return the PDF to print."""
    permissions.require(request.user, Action.CHANGE)
    form = MailingForm(request.POST or None)
    context = _audience(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        chosen = _ids(request.POST.getlist("to"))
        ids: dict[str, list[int]] = {"customer_ids": [], "lead_ids": []}
        ids["customer_ids" if context["audience"] == "customers" else "lead_ids"] = chosen
        action = request.POST.get("action", "email")
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        try:
            if action == "email":
                result = touches.mailing_send(by=request.user, subject=subject, body=body, **ids)
                messages.success(
                    request,
                    _(
                        "Mailing sent to %(sent)d; %(skipped)d skipped (no address or no mailings wanted)."
                    )
                    % {"sent": len(result.sent), "skipped": len(result.skipped)},
                )
                return redirect("development:mailing")
            return _pdf(request, action, subject, body, ids)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 422
    elif request.method == "POST":
        status = 422
    context.update(
        {
            "form": form,
            "grades": Grade.choices,
            "mailings": Mailing.objects.filter(by_id=request.user.pk)[:10],
            "masked": not permissions.can(request.user, Action.SEE_PERSONAL_DATA),
        }
    )
    return render(request, "development/mailing.html", context, status=status)


def _pdf(request: HttpRequest, action: str, subject: str, body: str, ids: dict) -> HttpResponse:
    user: Any = request.user
    sender = user.get_full_name() or user.username
    if action == "brochure":
        pdf = letters.brochure_pdf(title=subject, body=body, sender=sender)
        chosen = touches.recipients(user=request.user, **ids)
        touches.letters_logged(
            by=request.user, kind=Mailing.Kind.BROCHURE, subject=subject, body=body, chosen=chosen
        )
        name = "brochure.pdf"
    elif action == "letters":
        chosen = touches.recipients(user=request.user, **ids)
        if not len(chosen):
            raise ValidationError({"recipients": _("Choose at least one recipient you can see.")})
        result = touches.letters_logged(
            by=request.user, kind=Mailing.Kind.LETTER, subject=subject, body=body, chosen=chosen
        )
        pdf = letters.letters_pdf(
            subject=subject, body=body, holders=result.sent, sender=sender, on=timezone.localdate()
        )
        name = "letters.pdf"
    else:
        raise ValidationError(_("Choose e-mail, letters or brochure."))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- a holder's touches ------------------------------------------------------------------


def _holder(request: HttpRequest, kind: str, pk: int) -> Customer | Lead:
    if kind == "customer":
        holder = permissions.visible_customers(request.user).filter(pk=pk).first()
    elif kind == "lead":
        holder = visible_leads(request.user).filter(pk=pk).first()
    else:
        holder = None
    if holder is None:
        raise Http404
    return holder


def _holder_filter(holder: Customer | Lead) -> dict[str, Any]:
    return {"customer": holder} if isinstance(holder, Customer) else {"lead": holder}


@login_required
def holder_touches(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Chosen dates and touch tasks of one customer or lead; POST ``form`` = ``date`` or
    ``task`` adds one."""
    permissions.require(request.user, Action.VIEW)
    holder = _holder(request, kind, pk)
    date_form, task_form = SpecialDateForm(), TaskForm(initial={"due_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        permissions.require(request.user, Action.CHANGE)
        which = request.POST.get("form")
        try:
            if which == "date":
                date_form = SpecialDateForm(request.POST)
                if date_form.is_valid():
                    touches.special_date_add(
                        by=request.user, holder=holder, **date_form.cleaned_data
                    )
                    messages.success(request, _("Date saved; greetings will be generated for it."))
                    return redirect("development:holder_touches", kind=kind, pk=pk)
            elif which == "task":
                task_form = TaskForm(request.POST)
                if task_form.is_valid():
                    touches.task_create(by=request.user, holder=holder, **task_form.cleaned_data)
                    messages.success(request, _("Task added to the due list."))
                    return redirect("development:holder_touches", kind=kind, pk=pk)
        except ValidationError as exc:
            form = date_form if which == "date" else task_form
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        status = 422
    lang = "zh-Hans" if (get_language() or "").startswith("zh") else "en"
    dates = [
        (special, festival_name(special.festival, lang) if special.festival else "")
        for special in SpecialDate.objects.filter(**_holder_filter(holder)).order_by("id")
    ]
    context = {
        "holder": holder,
        "kind": kind,
        "dates": dates,
        "tasks": TouchTask.objects.filter(**_holder_filter(holder)).order_by("-due_on", "-id")[:50],
        "date_form": date_form,
        "task_form": task_form,
        "can_change": permissions.can(request.user, Action.CHANGE),
    }
    return render(request, "development/holder_touches.html", context, status=status)


# --- tasks -------------------------------------------------------------------------------


def _task(request: HttpRequest, pk: int) -> TouchTask:
    task = TouchTask.objects.select_related("customer", "lead", "owner").filter(pk=pk).first()
    if task is None:
        raise Http404
    holder = task.holder
    visible = (
        permissions.visible_customers(request.user).filter(pk=task.customer_id)
        if task.customer_id
        else visible_leads(request.user).filter(pk=task.lead_id)
    )
    if holder is None or not visible.exists():
        raise Http404
    return task


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    scope = "team" if request.GET.get("scope") == "team" else "mine"
    tasks = (
        touch_tasks_for(request.user, scope)
        .select_related("customer", "lead", "owner")
        .order_by("due_on", "id")[:200]
    )
    return render(
        request,
        "development/touch_tasks.html",
        {"tasks": tasks, "scope": scope, "today": timezone.localdate()},
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.VIEW)
    task = _task(request, pk)
    return render(request, "development/touch_task.html", {"task": task, "form": DoneForm()})


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    task = _task(request, pk)
    form = DoneForm(request.POST)
    form.is_valid()
    try:
        touches.task_done(
            task=task,
            by=request.user,
            notes=form.cleaned_data.get("notes", ""),
            send_email=request.POST.get("send") == "email",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request, "development/touch_task.html", {"task": task, "form": form}, status=422
        )
    messages.success(request, _("Done, and logged on the timeline."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("development:touch_tasks")
