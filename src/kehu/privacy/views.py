"""The privacy pages: the export download and the erasure confirmation. Thin: the rules
and the work are in ``rules`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kehu.core import permissions
from kehu.customers.models import Customer
from kehu.privacy import rules, services
from kehu.privacy.forms import EraseForm


def _customer(request: HttpRequest, pk: int) -> Customer:
    qs = permissions.visible_customers(request.user, include_archived=True)
    return get_object_or_404(qs, pk=pk)


@never_cache
@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    # The role first: 403 says nothing about whether the customer exists.
    permissions.require(rules.may_export(request.user))
    customer = _customer(request, pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in services.FORMATS:
        raise Http404
    content, content_type, filename = services.personal_data_export(
        customer=customer, by=request.user, fmt=fmt
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(rules.may_erase(request.user))
    customer = _customer(request, pk)
    erased = services.is_erased(customer)
    form = EraseForm(request.POST or None, customer_id=customer.pk)
    if request.method == "POST" and not erased and form.is_valid():
        try:
            services.customer_erase(
                customer=customer, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PrivacyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The customer's personal data has been erased."))
            return redirect("customers:detail", pk=customer.pk)
    status = 200 if request.method == "GET" or form.is_valid() else 400
    return render(
        request,
        "privacy/erase.html",
        {"customer": customer, "form": form, "erased": erased},
        status=status,
    )
