"""The churn models page: which model is live per kind, its held-out figures beside its
baseline, the refused ones with their reasons, and each model's backtest months.

Administrators and managers only (``Action.CONFIGURE``: they decide on the analytics; the
models are trained with ``kehu churn train``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kehu.core import permissions
from kehu.core.permissions import Action
from kehu.insights.churn import activity_model_outdated
from kehu.insights.models import ChurnBacktest, ChurnModel, ChurnModelKind

RECENT = 20
FIGURES = ("auc", "pr_auc", "top_decile_lift", "brier")


def _figures(model: ChurnModel) -> list[dict[str, Any]]:
    metrics = model.metrics or {}
    mine, base = metrics.get("model") or {}, metrics.get("baseline") or {}
    return [{"name": name, "model": mine.get(name), "baseline": base.get(name)} for name in FIGURES]


@login_required
def churn_models(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CONFIGURE)
    backtests = Prefetch("backtests", queryset=ChurnBacktest.objects.order_by("month_end"))
    models = list(
        ChurnModel.objects.defer("payload")
        .select_related("trained_by")
        .prefetch_related(backtests)
        .order_by("-trained_at", "-id")[:RECENT]
    )
    live = []
    for kind, label in ChurnModelKind.choices:
        current = next((m for m in models if m.kind == kind and m.status == "live"), None)
        if current is None:
            current = (
                ChurnModel.objects.defer("payload")
                .prefetch_related(backtests)
                .filter(kind=kind, status=ChurnModel.Status.LIVE)
                .order_by("-trained_at")
                .first()
            )
        outdated = False
        if current is not None and kind == ChurnModelKind.ACTIVITY:
            payload = ChurnModel.objects.values_list("payload", flat=True).get(pk=current.pk)
            outdated = activity_model_outdated(bytes(payload))
        live.append({"kind": kind, "label": label, "model": current, "outdated": outdated})
        if current is not None:
            current.figures = _figures(current)  # type: ignore[attr-defined]
    return render(
        request,
        "insights/churn_models.html",
        {
            "live": live,
            "history": models,
            "refused": [m for m in models if m.status == ChurnModel.Status.REFUSED],
        },
    )
