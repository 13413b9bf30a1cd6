"""Portal pages (phone first): sign-in by e-mailed link, my tickets, a ticket's public thread
with reply and rating, a new ticket; and the staff page that invites a customer's contact.
Thin: reads through kehu.portal.selectors, writes through kehu.portal.services."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions, throttle
from kehu.core.models import Role, SignInThrottle
from kehu.core.params import int_param
from kehu.core.permissions import Action
from kehu.core.views import wait_message
from kehu.knowledge import selectors as knowledge
from kehu.portal import forms, selectors, services
from kehu.service.models import Ticket
from kehu.surveys.selectors import csat_for_ticket

Scope = SignInThrottle.Scope


def _throttle_key(request: HttpRequest) -> str:
    # Kept apart from the password sign-in's keys: a customer asking for links does not
    # lock staff out of the office's shared address, nor the other way round.
    return f"portal|{throttle.client_address(request)}"


def portal_user(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in portal users only: others are sent to the portal's sign-in page; staff get
    403 (the portal is not a staff page)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        request.portal_access = services.access_of(request.user)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def _refusal_text(reason: str) -> str:
    texts = {
        "used": _("This sign-in link has already been used. Ask for a new one below."),
        "expired": _("This sign-in link has expired. Ask for a new one below."),
        "invalid": _("This sign-in link is not valid. Ask for a new one below."),
    }
    return texts.get(reason, texts["invalid"])


def login_page(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and permissions.role_of(request.user) == Role.CUSTOMER:
        return redirect("portal:home")
    form = forms.LinkForm(request.POST if request.method == "POST" else None)
    status = 200
    sent = False
    if request.method == "POST":
        key = _throttle_key(request)
        wait = throttle.wait_seconds(Scope.ADDRESS, key) if throttle.client_address(request) else 0
        if wait:
            form.add_error(None, wait_message(wait))
            status = 429
        elif form.is_valid():
            # Every request counts against the address, sent or not: the page must not be a
            # way to mail-bomb a customer or to test which addresses have access.
            if throttle.client_address(request):
                throttle.record_failure(Scope.ADDRESS, key)
            services.request_link(
                email=form.cleaned_data["email"],
                address=throttle.client_address(request),
                base_url=request.build_absolute_uri("/"),
            )
            sent = True
        else:
            status = 400
    return render(request, "portal/login.html", {"form": form, "sent": sent}, status=status)


def signin(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST uses the link: mail scanners that open links must not use
    up a one-time link before the customer does."""
    key = _throttle_key(request)
    has_address = bool(throttle.client_address(request))
    wait = throttle.wait_seconds(Scope.TOKEN, key) if has_address else 0
    if wait:
        context = {"refusal": wait_message(wait), "form": forms.LinkForm()}
        return render(request, "portal/signin.html", context, status=429)
    try:
        if request.method == "POST":
            access = services.redeem(token=token)
        else:
            services.check_link(token)
            return render(request, "portal/signin.html", {"token": token})
    except services.LinkRefused as refused:
        if has_address:
            throttle.record_failure(Scope.TOKEN, key)
        context = {"refusal": _refusal_text(refused.reason), "reason": refused.reason,
                   "form": forms.LinkForm()}  # fmt: skip
        return render(
            request,
            "portal/signin.html",
            context,
            status=410 if refused.reason != "invalid" else 400,
        )
    if request.user.is_authenticated:
        logout(request)
    login(request, access.user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return redirect("portal:home")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE
    logout(request)
    response = redirect("portal:login")
    # Signing out empties the session, and with it the language the customer chose: the
    # sign-in page they land on stays in it (the language cookie Django reads next).
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@portal_user
def home(request: HttpRequest) -> HttpResponse:
    tickets = list(selectors.my_tickets(request.user)[:200])
    access = request.portal_access  # type: ignore[attr-defined]
    return render(request, "portal/home.html", {"tickets": tickets, "access": access})


def _mine(request: HttpRequest, pk: int) -> Ticket:
    ticket = selectors.my_ticket(request.user, pk)
    if ticket is None:
        raise Http404
    return ticket


def _detail(request: HttpRequest, ticket: Ticket, *, reply_form=None, rating_form=None,
            status: int = 200) -> HttpResponse:  # fmt: skip
    rating = csat_for_ticket(ticket)
    initial = {"score": str(rating.score), "comment": rating.comment} if rating else None
    context = {
        "ticket": ticket,
        "thread": selectors.public_thread(ticket),
        "reply_form": reply_form or forms.ReplyForm(),
        "rating_form": rating_form or forms.RatingForm(initial=initial),
        "rating": rating,
        "can_rate": ticket.status in Ticket.DONE,
        "access": request.portal_access,  # type: ignore[attr-defined]
    }
    return render(request, "portal/detail.html", context, status=status)


@portal_user
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _mine(request, pk))


def _apply_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@portal_user
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _mine(request, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(by=request.user, ticket=ticket, body=form.cleaned_data["body"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("portal:detail", pk=ticket.pk)
    return _detail(request, ticket, reply_form=form, status=400)


@portal_user
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _mine(request, pk)
    form = forms.RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(by=request.user, ticket=ticket, score=form.cleaned_data["score"],
                          comment=form.cleaned_data["comment"])  # fmt: skip
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:detail", pk=ticket.pk)
    return _detail(request, ticket, rating_form=form, status=400)


@portal_user
def new_ticket(request: HttpRequest) -> HttpResponse:
    form = forms.TicketForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.open_ticket(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your ticket was opened. We will answer soon."))
            return redirect("portal:detail", pk=ticket.pk)
    context = {"form": form, "access": request.portal_access}  # type: ignore[attr-defined]
    return render(request, "portal/new.html", context, status=400 if form.is_bound else 200)


@portal_user
def help_list(request: HttpRequest) -> HttpResponse:
    """Search and list the public knowledge base (never internal articles or drafts)."""
    query = request.GET.get("q", "").strip()[:200]
    category = int_param(request, "category")
    lang = request.LANGUAGE_CODE
    found = knowledge.public_articles(query=query, lang=lang, category=category, limit=50)
    context = {
        "articles": [
            {
                "pk": a.pk,
                "title": a.title(lang),
                "category": a.category.label(lang) if a.category else "",
            }
            for a in found
        ],
        "query": query,
        "category": category,
        "categories": [(c.pk, c.label(lang)) for c in knowledge.categories()],
        "access": request.portal_access,  # type: ignore[attr-defined]
    }
    return render(request, "portal/help.html", context)


@portal_user
def help_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = knowledge.public_article(pk=pk)
    if article is None:
        raise Http404
    lang = request.LANGUAGE_CODE
    context = {
        "article": article,
        "title": article.title(lang),
        "body": article.body(lang),
        "category": article.category.label(lang) if article.category else "",
        "access": request.portal_access,  # type: ignore[attr-defined]
    }
    return render(request, "portal/help_article.html", context)


# --- staff --------------------------------------------------------------------------------------


@login_required
def invite(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """Invite a contact of the customer to the portal (the 360 page's "Invite to portal")."""
    permissions.require(request.user, Action.CHANGE)
    customer = permissions.visible_customers(request.user).filter(pk=customer_pk).first()
    if customer is None:
        raise Http404
    permissions.require(request.user, Action.CHANGE, permissions.loaded_for(customer, request.user))
    known = sorted({e for e in [customer.email, *customer.contacts.filter(kind="email")
                   .values_list("value", flat=True)] if e})  # fmt: skip
    form = forms.InviteForm(
        request.POST if request.method == "POST" else None,
        initial={"email": known[0] if known else ""},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                access = services.invite(
                    customer=customer, by=request.user, base_url=request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )  # fmt: skip
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": access.email}
                )
                return redirect("customers:detail", pk=customer.pk)
        status = 400
    accesses = customer.portal_accesses.order_by("email")
    return render(request, "portal/invite.html",
                  {"customer": customer, "form": form, "known": known, "accesses": accesses},
                  status=status)  # fmt: skip
