"""The targets page (D6): actual against target, month to date, per team and rep, with the
trend; administrators and managers set targets on it. Thin: permissions, a form, the
service or the selector, a template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.models import Team
from kehu.core.permissions import Action
from kehu.retention import selectors_targets as sel
from kehu.retention import services_targets
from kehu.retention.models import Target


def _month(text: str | None, today: dt.date) -> dt.date | None:
    if not text:
        return today.replace(day=1)
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        return None


def _require_viewer(request: HttpRequest) -> None:
    if not sel.may_see(request.user):
        raise PermissionDenied


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    status = 200
    if month is None:
        messages.error(request, _("month: use the form YYYY-MM."))
        month, status = today.replace(day=1), 400
    lines = sel.board(user=request.user, month=month, today=today)
    chosen = request.GET.get("line") or (lines[0].key if lines else "")
    line = next((ln for ln in lines if ln.key == chosen), lines[0] if lines else None)
    chart: dict[str, Any] = {}
    if line is not None:
        chart = sel.trend(user=request.user, line=line, month=month, today=today)
        chart["labels"] = {m: str(label) for m, label in Target.Metric.choices}
        chart["names"] = {"actual": _("Actual"), "target": _("Target")}
    editable = [ln for ln in lines if _may_edit(request.user, ln)]
    return render(
        request,
        "retention/targets.html",
        {
            "lines": lines,
            "line": line,
            "month": month,
            "month_to_date": month == today.replace(day=1),
            "metrics": Target.Metric.choices,
            "chart": chart,
            "editable": editable,
            "may_edit": bool(editable),
        },
        status=status,
    )


def _may_edit(user: Any, line: sel.Line) -> bool:
    team = Team(pk=line.team_id) if line.kind == "team" else None
    rep = None
    if line.kind == "rep":
        rep = get_user_model().objects.select_related("profile").get(pk=line.user_id or 0)
    return services_targets.may_set(user, team=team, user=rep)


def _scope(key: str) -> tuple[Team | None, Any]:
    """The team or rep a form's ``line`` names ("all", "team:<id>", "user:<id>")."""
    kind, _sep, pk = key.partition(":")
    if kind == "all" and not pk:
        return None, None
    if kind in ("team", "user") and pk.isdigit():
        if kind == "team":
            team = Team.objects.filter(pk=int(pk)).first()
            if team is not None:
                return team, None
        else:
            rep = get_user_model().objects.filter(pk=int(pk)).select_related("profile").first()
            if rep is not None:
                return None, rep
    raise ValidationError({"line": _("Choose a team or a rep.")})


def _error_text(exc: ValidationError) -> str:
    """The errors, each after the name of the form field it is about."""
    labels = {"month": _("Month"), "line": _("For"), "metric": _("Indicator"), "value": _("Target")}
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return " ".join(
        f"{labels.get(name, name)}: {message}"
        for name, errors in exc.message_dict.items()
        for message in errors
    )


@login_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EDIT_RETENTION_TARGETS)
    today = timezone.localdate()
    month = _month(request.POST.get("month"), today)
    back = reverse("retention:targets")
    try:
        if month is None:
            raise ValidationError({"month": _("Use the form YYYY-MM.")})
        team, rep = _scope(request.POST.get("line", ""))
        services_targets.target_set(
            month=month,
            metric=request.POST.get("metric", ""),
            value=request.POST.get("value", ""),
            team=team,
            user=rep,
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        response = targets_page(request)
        response.status_code = 400
        return response
    messages.success(request, _("Target saved."))
    return redirect(f"{back}?month={month:%Y-%m}")
