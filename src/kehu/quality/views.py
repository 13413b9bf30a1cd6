"""Data-quality pages: the overview (G2), the duplicate review queue and merge history (G3),
and the duplicate check the customer form calls while a record is typed in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.params import MAX_PAGE, int_param
from kehu.core.permissions import Action
from kehu.quality import completeness, selectors, services
from kehu.quality.presenters import pair_cards
from kehu.quality.warning import WARNING_FIELDS, duplicate_warning

PAGE_SIZE = 20


def _page(request: HttpRequest) -> int:
    return int_param(request, "page", default=1, maximum=MAX_PAGE) or 1


@login_required
def home(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    overview = completeness.quality_overview(user=request.user)
    return render(
        request,
        "quality/home.html",
        {"overview": overview},
    )


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.MERGE)
    page = _page(request)
    start = (page - 1) * PAGE_SIZE
    rows = list(selectors.open_pairs(user=request.user)[start : start + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    context = {
        "cards": pair_cards(rows[:PAGE_SIZE], user=request.user),
        "page": page,
        "next_page": page + 1 if has_next else None,
        "prev_page": page - 1 if page > 1 else None,
        "merges": selectors.recent_merges(user=request.user),
    }
    return render(request, "quality/duplicates.html", context)


def _done(request: HttpRequest, *, pair_id: int, text: str, ok: bool = True) -> HttpResponse:
    """htmx swaps the decided card for a one-line note; a plain form post goes back."""
    if request.headers.get("HX-Request"):
        return render(
            request, "quality/_pair_done.html", {"pair_id": pair_id, "text": text, "ok": ok}
        )
    (messages.success if ok else messages.error)(request, text)
    return redirect("quality:duplicates")


@login_required
@require_POST
def pair_merge(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.MERGE)
    pair = selectors.visible_pair(user=request.user, pk=pk)
    if pair is None:
        raise Http404
    try:
        keep_id = int(request.POST.get("keep", ""))
    except ValueError:
        keep_id = 0
    try:
        merge = services.pair_merge(pair=pair, keep_id=keep_id, by=request.user)
    except services.MergeError as exc:
        return _done(request, pair_id=pk, text=str(exc), ok=False)
    text = _(
        "Merged %(remove)s (#%(remove_id)s) into %(keep)s (#%(keep_id)s). "
        "You can undo this in the merge history."
    ) % {
        "remove": merge.remove.name,
        "remove_id": merge.remove_id,
        "keep": merge.keep.name,
        "keep_id": merge.keep_id,
    }
    return _done(request, pair_id=pk, text=text)


@login_required
@require_POST
def pair_reject(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.MERGE)
    pair = selectors.visible_pair(user=request.user, pk=pk)
    if pair is None:
        raise Http404
    try:
        services.pair_reject(pair=pair, by=request.user)
    except services.MergeError as exc:
        return _done(request, pair_id=pk, text=str(exc), ok=False)
    return _done(request, pair_id=pk, text=_("Marked as not the same; it won't be proposed again."))


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.MERGE)
    merge = selectors.visible_merge(user=request.user, pk=pk)
    if merge is None:
        raise Http404
    try:
        services.customer_unmerge(merge=merge, by=request.user)
    except services.MergeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Merge undone: both customers are back as they were."))
    return redirect("quality:duplicates")


@login_required
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """htmx: the customer form posts its fields on blur; answers a small warning fragment
    (empty when nothing looks like the record being typed)."""
    permissions.require(request.user, Action.CHANGE)
    data = request.POST if request.method == "POST" else request.GET
    fields = {name: data.get(name, "").strip()[:200] for name in WARNING_FIELDS}
    exclude = int_param(data, "customer_id")
    candidates = duplicate_warning(user=request.user, fields=fields, exclude_id=exclude)
    return render(request, "quality/_duplicate_warning.html", {"candidates": candidates})
