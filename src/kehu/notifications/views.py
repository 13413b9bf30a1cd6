"""The signed-in user's notifications: the list, opening one (marks it read and follows its
link) and marking all read. Every user has these pages, whatever their role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kehu.notifications import selectors, services

PAGE = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    qs = selectors.for_user(request.user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": list(qs[:PAGE]),
            "only_unread": only_unread,
            "unread": selectors.unread_count(request.user),
        },
    )


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's notification is "not found", the same as one that does not exist.
    notification = selectors.for_user(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(user=request.user, ids=[notification.pk])
    return redirect(notification.url or "notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:list")
