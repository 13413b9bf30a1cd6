"""Invoices (receivables) and the payments against them (A5, B1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from kehu.api.common import ApiRequest, paginate, require, visible_customer, visible_customer_ids
from kehu.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    InvoiceDetailOut,
    InvoicePage,
    InvoiceQuery,
    PageQuery,
    PaymentIn,
    PaymentPage,
    PaymentResult,
)
from kehu.core import permissions, validators
from kehu.core.permissions import Action
from kehu.sales.models import ZERO, Invoice, Payment
from kehu.sales.services import payment_record

router = Router(tags=["invoices and payments"])

MAX_AMOUNT = Decimal("999999999999.99")


def invoice_out(invoice: Invoice) -> dict[str, Any]:
    outstanding = invoice.outstanding
    return {
        "id": invoice.pk,
        "customer_id": invoice.customer_id,
        "order_id": invoice.order_id,
        "number": invoice.number,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "amount": invoice.amount,
        "paid_amount": invoice.paid_amount,
        "written_off": invoice.written_off,
        "outstanding": outstanding,
        "paid_on": invoice.paid_on,
        "is_overdue": outstanding > ZERO and invoice.due_on < timezone.localdate(),
    }


def payment_out(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "invoice_id": payment.invoice_id,
        "customer_id": payment.customer_id,
        "paid_on": payment.paid_on,
        "amount": payment.amount,
        "method": payment.method,
        "external_id": payment.external_id,
        "created_at": payment.created_at,
    }


def _visible_invoice(user: Any, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(customer__in=visible_customer_ids(user))
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


@router.get("/customers/{customer_id}/invoices", response={200: InvoicePage, **READ_ERRORS})
def list_invoices(
    request: ApiRequest, customer_id: int, filters: Query[InvoiceQuery]
) -> dict[str, Any]:
    customer = visible_customer(request.auth, customer_id)
    qs = Invoice.objects.filter(customer=customer).order_by("-issued_on", "-id")
    if filters.open is not None:
        qs = qs.filter(paid_on__isnull=filters.open)
    return paginate(qs, limit=filters.limit, offset=filters.offset, render=invoice_out)


@router.get("/invoices/{invoice_id}", response={200: InvoiceDetailOut, **READ_ERRORS})
def get_invoice(request: ApiRequest, invoice_id: int) -> dict[str, Any]:
    invoice = _visible_invoice(request.auth, invoice_id)
    payments = invoice.payments.order_by("paid_on", "id")
    return {**invoice_out(invoice), "payments": [payment_out(p) for p in payments]}


@router.get("/customers/{customer_id}/payments", response={200: PaymentPage, **READ_ERRORS})
def list_payments(request: ApiRequest, customer_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    customer = visible_customer(request.auth, customer_id)
    qs = Payment.objects.filter(customer=customer).order_by("-paid_on", "-id")
    return paginate(qs, limit=page.limit, offset=page.offset, render=payment_out)


@router.post("/invoices/{invoice_id}/payments", response={201: PaymentResult, **WRITE_ERRORS})
def create_payment(request: ApiRequest, invoice_id: int, payload: PaymentIn) -> Status:
    """Record a payment; the invoice's paid amount (and, once settled, its paid date) is
    updated in the same transaction. More than the outstanding amount is refused."""
    user = request.auth
    require(permissions.can(user, Action.CHANGE))
    errors: dict[str, list[ValidationError]] = {}
    amount = paid_on = None
    try:
        amount = validators.clean_decimal(payload.amount, maximum=MAX_AMOUNT)
        if amount is None:
            raise ValidationError("An amount is required.", code="required")
    except ValidationError as exc:
        errors["amount"] = exc.error_list
    try:
        paid_on = validators.clean_business_date(payload.paid_on)
    except ValidationError as exc:
        errors["paid_on"] = exc.error_list
    with transaction.atomic():
        # Visibility before the input errors: a hidden invoice is 404 whatever was sent.
        invoice = _visible_invoice(user, invoice_id)
        if errors:
            raise ValidationError(errors)
        assert amount is not None
        payment = payment_record(
            invoice=invoice,
            by=user,
            amount=amount,
            paid_on=paid_on or timezone.localdate(),
            method=(payload.method or "").strip(),
            external_id=(payload.external_id or "").strip() or None,
        )
        invoice.refresh_from_db()
    return Status(201, {"payment": payment_out(payment), "invoice": invoice_out(invoice)})
