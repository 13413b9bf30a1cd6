"""Customer pages: list and search, the 360 view, entry forms, reassignment, relations."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehu.core import permissions
from kehu.core.models import Partner, Team
from kehu.core.params import MAX_PAGE, int_param
from kehu.core.permissions import Action
from kehu.customers import divisions, history, selectors, services, timeline
from kehu.customers.concurrency import MergedAway, StaleCustomer
from kehu.customers.forms import (
    CustomerForm,
    InteractionForm,
    ReassignForm,
    RelationForm,
    contact_formset,
    contact_points,
)
from kehu.customers.models import Customer, Relation, Tag
from kehu.quality.warning import duplicate_warning


def _visible_customer(request: HttpRequest, pk: int, *, include_archived: bool = True) -> Customer:
    """The one way a customer page loads its record: 404 for what the user may not see."""
    qs = permissions.visible_customers(request.user, include_archived=include_archived)
    customer = get_object_or_404(qs.select_related("owner", "team", "partner", "region"), pk=pk)
    return permissions.loaded_for(customer, request.user)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.CustomerFilters:
    return _filters_from(request.GET)


def _filters_from(g: Any) -> selectors.CustomerFilters:
    core = g.get("core")
    return selectors.CustomerFilters(
        q=g.get("q", "").strip()[:100],
        grade=g.get("grade", ""),
        tier=g.get("tier", ""),
        owner=int_param(g, "owner"),
        team=int_param(g, "team"),
        status=g.get("status", ""),
        loyalty=g.get("loyalty", ""),
        churn=g.get("churn", ""),
        city=g.get("city", "").strip(),
        tags=[t for t in g.getlist("tag") if t],
        core=None if core in (None, "") else core == "1",
        archived=g.get("archived") == "1",
    )


# Offsets deeper than this many rows are no page a person reads.
MAX_OFFSET = MAX_PAGE * 100


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps(offset).encode()).decode()


def _decode_cursor(raw: str) -> int:
    """The offset a page link carries; a link that was not made here is refused (400), as a
    far-off offset would be (it makes an absurd OFFSET, past SQLite's integers at 2**63)."""
    if not raw:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(raw.encode()))
    except (ValueError, TypeError):
        offset = None
    if type(offset) is not int or not 0 <= offset <= MAX_OFFSET:
        raise BadRequest("The page link is invalid.")
    return offset


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    from django.conf import settings

    page_size = settings.KEHU_PAGE_SIZE
    # Offset pages are cheap on indexed orderings for the first few hundred pages; the cursor
    # keeps the offset in the link so each page is one LIMIT/OFFSET query.
    offset = _decode_cursor(request.GET.get("page", ""))
    qs = selectors.customer_list(user=request.user, filters=filters, sort=sort)
    rows = list(qs[offset : offset + page_size + 1])
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    total, more = selectors.capped_count(qs)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "customers": rows,
        "filters": filters,
        "sort": sort,
        "total": total,
        "total_more": more,
        "offset": offset,
        "first_row": offset + 1 if rows else 0,
        "last_row": offset + len(rows),
        "next_page": _encode_cursor(offset + page_size) if has_next else None,
        "prev_page": _encode_cursor(max(offset - page_size, 0)) if offset else None,
        "query_string": params.urlencode(),
        "filter_items": [(k, v) for k in params for v in params.getlist(k) if v],
        "masked": not permissions.can(request.user, Action.SEE_PERSONAL_DATA),
        "search_refused": selectors.search_refused(user=request.user, q=filters.q),
        "grades": Customer.Grade.choices,
        "tiers": Customer.Tier.choices,
        "statuses": Customer.Lifecycle.choices,
        "loyalties": Customer.Loyalty.choices,
        "churn_types": Customer.ChurnType.choices,
        "teams": Team.objects.all(),
        "tags": Tag.objects.all()[:200],
        "sorts": [
            ("-id", _("Newest")),
            ("name", _("Name")),
            ("-profit", _("Profit")),
            ("-clv", _("Lifetime value")),
            ("grade", _("Grade")),
        ],
    }
    template = (
        "customers/_results.html" if request.headers.get("HX-Request") else "customers/list.html"
    )
    return render(request, template, context)


# The 360 page's tabs, in order; the URL remembers the open one (?tab=).
TABS = ("timeline", "orders", "invoices", "payments", "history")


def _tab(request: HttpRequest, customer: Customer) -> str:
    tab = request.GET.get("tab", "")
    if tab not in TABS or (
        tab == "history" and not permissions.can(request.user, Action.SEE_HISTORY, customer)
    ):
        return "timeline"
    return tab


def _timeline_filters(request: HttpRequest) -> dict:
    """The timeline's filters from the query string; a value that is no choice is dropped."""
    g = request.GET
    kinds = {k for k, _label in timeline.kinds()}
    channels = {v for v, _label in timeline.channel_choices()}
    departments = {v for v, _label in timeline.department_choices()}
    return {
        "kinds": [k for k in g.getlist("kind") if k in kinds],
        "channel": g.get("channel", "") if g.get("channel", "") in channels else "",
        "department": g.get("department", "") if g.get("department", "") in departments else "",
    }


def _timeline_context(request: HttpRequest, customer: Customer) -> dict:
    filters = _timeline_filters(request)
    page = selectors.customer_timeline(
        customer=customer, user=request.user, cursor=request.GET.get("cursor", ""), **filters
    )
    params = request.GET.copy()
    for key in ("cursor", "tab", "offset"):
        params.pop(key, None)
    return {
        "timeline": page.entries,
        "timeline_next": page.next_cursor,
        "timeline_more_page": bool(request.GET.get("cursor")),
        "timeline_filters": filters,
        "timeline_query": params.urlencode(),
        "timeline_kinds": timeline.kinds(),
        "timeline_channels": timeline.channel_choices(),
        "timeline_departments": timeline.department_choices(),
    }


def _records_context(request: HttpRequest, customer: Customer, tab: str, active: str) -> dict:
    offset = 0
    if tab == active:
        offset = min(int_param(request, "offset", minimum=0) or 0, MAX_OFFSET)
    rows, more = selectors.customer_records(customer=customer, tab=tab, offset=offset)
    return {"rows": rows, "next_offset": offset + len(rows) if more else None, "continued": offset}


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _visible_customer(request, pk)
    user = request.user
    tab = _tab(request, customer)
    context = {
        "customer": customer,
        "tab": tab,
        "masked": not permissions.can(user, Action.SEE_PERSONAL_DATA),
        "tags": list(customer.tags.all()),
        "contact": selectors.customer_contact_summary(customer=customer),
        "sales": selectors.customer_sales_summary(customer=customer),
        "receivables": selectors.customer_receivables(customer=customer),
        "records": {
            name: _records_context(request, customer, name, tab) for name in selectors.RECORD_TABS
        },
        "relations": selectors.customer_relations(customer=customer, user=user),
        "owner_history": selectors.customer_owner_history(customer=customer),
        "contacts": list(customer.contacts.all()),
        "missing": services.missing_field_labels(customer),
        "interaction_form": InteractionForm(user=user),
        "shares": list(customer.shares.select_related("partner")),
        "partners": Partner.objects.filter(is_active=True)
        if permissions.can(user, Action.SHARE, customer)
        else [],
        **_timeline_context(request, customer),
    }
    if tab == "history":
        context["events"] = _history_events(customer)
    return render(request, "customers/detail.html", context)


@login_required
def customer_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the timeline's next page ("more") or the list under new filters. Opened
    directly, the 360 page on its timeline tab with the same filters."""
    customer = _visible_customer(request, pk)
    if not request.headers.get("HX-Request"):
        params = request.GET.copy()
        params["tab"] = "timeline"
        return redirect(f"{reverse('customers:detail', args=[customer.pk])}?{params.urlencode()}")
    context = {"customer": customer, **_timeline_context(request, customer)}
    template = (
        "customers/_timeline_entries.html"
        if request.GET.get("cursor")
        else "customers/_timeline_list.html"
    )
    return render(request, template, context)


@login_required
def customer_records(request: HttpRequest, pk: int, tab: str) -> HttpResponse:
    """htmx: the next rows of the orders, invoices or payments tab ("more")."""
    if tab not in selectors.RECORD_TABS:
        raise Http404
    customer = _visible_customer(request, pk)
    if not request.headers.get("HX-Request"):
        params = request.GET.copy()
        params["tab"] = tab
        return redirect(f"{reverse('customers:detail', args=[customer.pk])}?{params.urlencode()}")
    context = {
        "customer": customer,
        "tab": tab,
        "block": _records_context(request, customer, tab, tab),
    }
    return render(request, f"customers/_{tab}_rows.html", context)


def _history_events(customer: Customer) -> list:
    return history.readable_events(list(selectors.customer_audit(customer=customer)))


@login_required
def customer_history(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _visible_customer(request, pk)
    if not permissions.can(request.user, Action.SEE_HISTORY, customer):
        raise Http404
    context = {"customer": customer, "events": _history_events(customer)}
    if not request.headers.get("HX-Request"):
        # Opened directly (a bookmark, a new tab): a whole page, not a fragment.
        return render(request, "customers/history.html", context)
    return render(request, "customers/_history.html", context)


def _contacts_ok(contacts: Any) -> bool:
    return not contacts.is_bound or contacts.is_valid()


@login_required
def customer_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    form = CustomerForm(request.POST or None)
    contacts = contact_formset(request.POST or None)
    duplicates: list = []
    if request.method == "POST" and form.is_valid() and _contacts_ok(contacts):
        # A probable duplicate is shown before anything is saved; saving it anyway is a
        # deliberate second step.
        if request.POST.get("confirm_duplicate") != "1":
            duplicates = duplicate_warning(user=request.user, fields=form.customer_fields())
        if not duplicates:
            with transaction.atomic():
                customer = services.customer_create(
                    by=request.user, owner=request.user, tags=form.tags(), **form.customer_fields()
                )
                if contacts.is_bound:
                    services.contact_points_replace(
                        customer=customer, by=request.user, points=contact_points(contacts)
                    )
            messages.success(request, _("Customer created."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/form.html",
        {"form": form, "contacts": contacts, "customer": None, "duplicates": duplicates},
    )


@login_required
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    customer = _visible_customer(request, pk)
    if customer.merged_into_id:
        return _merged_away(request, customer)
    if customer.is_archived:
        raise Http404
    # The form gets its own copy: validating writes the typed values onto its instance,
    # while the page title keeps showing the stored name.
    form = CustomerForm(request.POST or None, instance=Customer.objects.get(pk=customer.pk))
    contacts = contact_formset(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid() and _contacts_ok(contacts):
        try:
            with transaction.atomic():
                services.customer_update(
                    customer=form.instance,
                    by=request.user,
                    tags=form.tags(),
                    expected_version=form.cleaned_data.get("version"),
                    **form.customer_fields(),
                )
                if contacts.is_bound:
                    services.contact_points_replace(
                        customer=customer, by=request.user, points=contact_points(contacts)
                    )
        except MergedAway:
            return _merged_away(request, Customer.objects.get(pk=customer.pk))
        except StaleCustomer as stale:
            # Nothing was saved; the form keeps what the user typed and the version it was
            # loaded with, so saving again is refused again until they reload.
            form.add_error(None, stale.message)
            context = {
                "form": form,
                "contacts": contacts,
                "customer": customer,
                "stale_changes": stale.changes(),
            }
            return render(request, "customers/form.html", context, status=409)
        messages.success(request, _("Changes saved."))
        return redirect("customers:detail", pk=customer.pk)
    context = {"form": form, "contacts": contacts, "customer": customer}
    return render(request, "customers/form.html", context)


def _merged_away(request: HttpRequest, customer: Customer) -> HttpResponse:
    """409: the record lives on in the one it was merged into, which the user may or may
    not see (then no link)."""
    target = (
        permissions.visible_customers(request.user)
        .filter(pk=customer.merged_into_id)
        .only("pk", "name")
        .first()
    )
    return render(
        request,
        "customers/merged_away.html",
        {"customer": customer, "target": target},
        status=409,
    )


@login_required
def interaction_create(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.LOG_INTERACTION)
    customer = _visible_customer(request, pk, include_archived=False)
    form = InteractionForm(request.POST or None, user=request.user)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        services.interaction_log(customer=customer, by=request.user, **form.cleaned_data)
        form = InteractionForm(user=request.user)
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers, so a form with errors comes back as 200 in place.
        context = {
            "customer": customer,
            "interaction_form": form,
            "logged": saved,
            "contact": selectors.customer_contact_summary(customer=customer),
            **_timeline_context(request, customer),
        }
        return render(request, "customers/_timeline.html", context)
    if saved:
        messages.success(request, _("Interaction logged."))
        return redirect("customers:detail", pk=customer.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "customers/interaction_page.html",
        {"customer": customer, "form": form},
        status=status,
    )


@login_required
def customer_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.REASSIGN)
    customer = _visible_customer(request, pk, include_archived=False)
    form = ReassignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.customer_reassign(
            customer=customer,
            owner=form.cleaned_data["owner"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Customer reassigned; every note, call and order stays."))
        return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/reassign.html", {"form": form, "customer": customer})


@login_required
@require_POST
def customer_archive(request: HttpRequest, pk: int) -> HttpResponse:
    restore = request.POST.get("restore") == "1"
    permissions.require(request.user, Action.RESTORE if restore else Action.ARCHIVE)
    customer = _visible_customer(request, pk)
    try:
        if restore:
            services.customer_restore(customer=customer, by=request.user)
            messages.success(request, _("Customer restored."))
        else:
            services.customer_archive(customer=customer, by=request.user)
            messages.success(request, _("Customer archived."))
    except MergedAway:
        return _merged_away(request, customer)
    return redirect("customers:detail", pk=customer.pk)


@login_required
def relation_create(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.CHANGE)
    customer = _visible_customer(request, pk, include_archived=False)
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = (
            permissions.visible_customers(request.user)
            .filter(pk=form.cleaned_data["other"])
            .first()
        )
        if other is None or other.pk == customer.pk:
            form.add_error("other", _("No such customer, or it is this customer."))
        elif Relation.objects.filter(
            from_customer=customer, to_customer=other, kind=form.cleaned_data["kind"]
        ).exists():
            form.add_error("kind", _("This relation exists already."))
        else:
            services.relation_create(
                from_customer=customer,
                to_customer=other,
                kind=form.cleaned_data["kind"],
                role=form.cleaned_data["role"],
                since=form.cleaned_data["since"],
                by=request.user,
            )
            messages.success(request, _("Relation added."))
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/relation_form.html", {"form": form, "customer": customer})


@login_required
@require_POST
def relation_delete(request: HttpRequest, pk: int, relation_pk: int) -> HttpResponse:
    permissions.require(request.user, Action.DELETE_RELATION)
    customer = _visible_customer(request, pk, include_archived=False)
    # Both ends must be visible, as in the API: 404 for a relation into a hidden book.
    relation = selectors.customer_relation(
        customer=customer, pk=relation_pk, user=request.user, action=Action.DELETE_RELATION
    )
    if relation is None:
        raise Http404
    services.relation_delete(relation=relation, by=request.user)
    messages.success(request, _("Relation removed."))
    return redirect("customers:detail", pk=customer.pk)


@login_required
@require_POST
def customer_share(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(request.user, Action.SHARE)
    customer = _visible_customer(request, pk, include_archived=False)
    partner = get_object_or_404(Partner, pk=_int(request.POST.get("partner")) or 0)
    if request.POST.get("unshare") == "1":
        services.customer_unshare(customer=customer, partner=partner, by=request.user)
    else:
        services.customer_share(customer=customer, partner=partner, by=request.user)
    return redirect("customers:detail", pk=customer.pk)


@login_required
def customer_picker(request: HttpRequest) -> HttpResponse:
    """htmx autocomplete: a few visible customers matching the query."""
    # A phone or e-mail from a masked role matches nothing (customer_list), like any miss.
    filters = selectors.CustomerFilters(q=request.GET.get("q", "").strip()[:100])
    rows = (
        list(selectors.customer_list(user=request.user, filters=filters, sort="name")[:10])
        if filters.q
        else []
    )
    return render(request, "customers/_picker.html", {"rows": rows})


@login_required
def division_options(request: HttpRequest) -> HttpResponse:
    """htmx: the cities of the chosen province (and an emptied district list), or the
    districts of the chosen city, as <option>s for the customer form's place picker."""
    from kehu.customers.forms import division_choices

    city = request.GET.get("division_city")
    if city is not None:
        return render(
            request,
            "customers/_division_options.html",
            {"options": division_choices(city if divisions.get(city) else None)},
        )
    province = request.GET.get("division_province", "")
    return render(
        request,
        "customers/_division_options.html",
        {
            "options": division_choices(province if divisions.get(province) else None),
            "reset_district": True,
        },
    )


@login_required
def customer_export(request: HttpRequest) -> StreamingHttpResponse:
    """The list as it is filtered, as a CSV file (within visibility, masked as on the page)."""
    from kehu.customers import export

    permissions.require(request.user, Action.EXPORT)
    filters = _filters(request)
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    qs = selectors.customer_list(user=request.user, filters=filters, sort=sort)
    response = StreamingHttpResponse(
        export.rows(qs[: export.MAX_ROWS], request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="customers.csv"'
    return response
