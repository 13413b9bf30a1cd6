"""Writes to orders and payments: keyword-only, atomic, audited (through the Audited models).

The API, the web and the importer share them, so an order's totals and an invoice's paid
state are computed in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kehu.customers.models import Customer
from kehu.sales.models import ZERO, Campaign, Invoice, Order, OrderLine, Payment, Product

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineSpec:
    product: Product
    quantity: Decimal
    unit_price: Decimal | None = None  # None: the product's list price


def _prefixed(prefix: str, exc: ValidationError) -> dict[str, list[ValidationError]]:
    if hasattr(exc, "error_dict"):
        return {f"{prefix}.{field}": errors for field, errors in exc.error_dict.items()}
    return {prefix: exc.error_list}


@transaction.atomic
def order_create(
    *,
    customer: Customer,
    by: Any,
    number: str,
    ordered_on: dt.date,
    channel: str,
    lines: list[LineSpec],
    status: str = Order.Status.COMPLETED,
    campaign: Campaign | None = None,
) -> Order:
    """An order with its lines. Line amounts are quantity × unit price and line costs
    quantity × the product's unit cost, rounded to cents; the order's amount and cost are
    their sums (the denormalised values profit and CLV read)."""
    if not lines:
        raise ValidationError({"lines": ["An order needs at least one line."]})
    built: list[OrderLine] = []
    for spec in lines:
        price = spec.product.price if spec.unit_price is None else spec.unit_price
        built.append(
            OrderLine(
                product=spec.product,
                quantity=spec.quantity,
                unit_price=price,
                amount=money(spec.quantity * price),
                cost=money(spec.quantity * spec.product.unit_cost),
            )
        )
    order = Order(
        customer=customer,
        number=number,
        ordered_on=ordered_on,
        channel=channel,
        status=status,
        campaign=campaign,
        sales_rep=by if getattr(by, "pk", None) else None,
        amount=sum((line.amount for line in built), ZERO),
        cost=sum((line.cost for line in built), ZERO),
    )
    errors: dict[str, list[ValidationError]] = {}
    try:
        order.full_clean()
    except ValidationError as exc:
        errors.update(exc.error_dict)
    for index, line in enumerate(built):
        try:
            line.full_clean(exclude=["order"])
        except ValidationError as exc:
            errors.update(_prefixed(f"lines.{index}", exc))
    if errors:
        raise ValidationError(errors)
    order.save()
    for line in built:
        line.order = order
        line.save()
    return order


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    by: Any,
    amount: Decimal,
    paid_on: dt.date,
    method: str = "",
    external_id: str | None = None,
) -> Payment:
    """Record a payment against an invoice and bring the invoice's ``paid_amount`` and
    ``paid_on`` up to date in the same transaction. The invoice row is locked first, so
    two payments arriving together cannot both read the old paid amount."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if amount <= ZERO:
        raise ValidationError({"amount": ["A payment must be more than zero."]})
    if amount > invoice.outstanding:
        raise ValidationError(
            {"amount": [f"More than the {invoice.outstanding} still outstanding on the invoice."]}
        )
    payment = Payment(
        invoice=invoice,
        customer_id=invoice.customer_id,
        paid_on=paid_on,
        amount=amount,
        method=method,
        external_id=external_id or None,
    )
    payment.full_clean()  # also refuses fractions of a cent, so quantizing below is exact
    payment.amount = money(amount)
    payment.save()
    invoice.paid_amount = invoice.paid_amount + payment.amount
    if invoice.outstanding == ZERO:
        # Settled: the date of the last payment is when it was paid (lateness is measured
        # against due_on from this).
        earlier = invoice.payments.exclude(pk=payment.pk).values_list("paid_on", flat=True)
        invoice.paid_on = max([paid_on, *earlier])
    invoice.full_clean()
    invoice.save()
    return payment
