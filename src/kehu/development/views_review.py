"""Manager review of reps (F7) with the drill-down to a rep's cards, and the development day
(F6). Reads through kehu.development.review; who is shown is ``review.reps_in_scope``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kehu.core import permissions, validators
from kehu.core.permissions import Action
from kehu.development import review


def _on(request: HttpRequest) -> dt.date:
    raw = request.GET.get("on", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        day = validators.clean_date(raw[:40])
    except ValidationError as exc:
        raise BadRequest(" ".join(exc.messages)) from None
    return day or timezone.localdate()


@login_required
def rep_review(request: HttpRequest) -> HttpResponse:
    """Managers their teams' reps, administrators all (REASSIGN: the managing roles)."""
    permissions.require(request.user, Action.REASSIGN)
    on = _on(request)
    rows = review.rep_review(user=request.user, on=on)
    return render(
        request,
        "development/rep_review.html",
        {"rows": rows, "on": on, "start": review.month_start(on), "fields": review.CARD_FIELDS},
    )


@login_required
def rep_cards(request: HttpRequest, user_pk: int) -> HttpResponse:
    permissions.require(request.user, Action.REASSIGN)
    rep = review.reps_in_scope(request.user).filter(pk=user_pk).first()
    if rep is None:
        raise Http404
    on = _on(request)
    return render(
        request,
        "development/rep_cards.html",
        {"rep": rep, "rows": review.rep_cards(rep=rep, on=on), "on": on},
    )


@login_required
def day_view(request: HttpRequest) -> HttpResponse:
    """What each rep did on ``?on=`` (default today); a rep sees their own day."""
    permissions.require(request.user, Action.CHANGE)
    day = _on(request)
    return render(
        request,
        "development/day.html",
        {
            "rows": review.development_day(user=request.user, day=day),
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
        },
    )
