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
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from kehu.customers.models import Customer
from kehu.sales.models import ZERO, Campaign, Invoice, Order, OrderLine, Payment, Product

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """What a line is worth: quantity × unit price, rounded to cents. The order form, the API
    and the importer all price lines with this, so an order's total is its lines' sum."""
    return money(quantity * unit_price)


def line_cost(quantity: Decimal, product: Product) -> Decimal:
    return money(quantity * product.unit_cost)


def check_line_amount(*, quantity: Decimal, unit_price: Decimal, amount: Decimal) -> Decimal:
    """A line amount given alongside its quantity and unit price must be their product, to
    the cent (a spreadsheet may round a line differently by one cent, never more); returns
    the computed amount. Anything else is refused rather than trusted: a stated total that
    disagrees with its lines would change every profit figure built on it."""
    computed = line_amount(quantity, unit_price)
    if abs(computed - amount) > CENT:
        raise ValidationError(
            _("The amount %(amount)s does not match quantity × unit price (%(computed)s)."),
            code="line_amount",
            params={"amount": amount, "computed": computed},
        )
    return computed


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
                amount=line_amount(spec.quantity, price),
                cost=line_cost(spec.quantity, spec.product),
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


def _lock_invoice(invoice: Invoice) -> Invoice:
    """The invoice row, locked until the transaction ends, so two payments arriving together
    cannot both read the old paid amount."""
    return Invoice.objects.select_for_update().select_related("customer").get(pk=invoice.pk)


def _refuse_archived(invoice: Invoice) -> None:
    """Payments on an archived customer's invoice are refused (restore the customer first),
    whoever records them and however."""
    if invoice.customer.is_archived:
        raise ValidationError(
            {
                "invoice": [
                    ValidationError(
                        _("This invoice's customer is archived; restore the customer first."),
                        code="archived",
                    )
                ]
            }
        )


def _check_amount(amount: Decimal) -> None:
    if amount <= ZERO:
        raise ValidationError(
            {"amount": [ValidationError(_("A payment must be more than zero."), code="min")]}
        )


def invoice_settle(*, invoice: Invoice, by: Any) -> Invoice:
    """Bring a locked invoice's ``paid_amount`` and ``paid_on`` in line with its payments:
    the paid amount is their sum and, once nothing is outstanding, the paid date is the last
    payment's (lateness is measured against due_on from it). More paid than the invoice's
    amount less what was written off is refused, so the caller's transaction rolls back.
    The one settlement rule: ``payment_record`` and the importer's ``payment_upsert`` both
    end here, inside their transaction and with the invoice row locked."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invoice_settle runs inside the payment's transaction")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    totals = Payment.objects.filter(invoice=invoice).aggregate(
        paid=Sum("amount"), last=Max("paid_on")
    )
    # SQLite sums decimals as floats: back to cents before comparing or storing.
    paid = money(Decimal(str(totals["paid"] or ZERO)))
    due = invoice.amount - invoice.written_off
    if paid > due:
        raise ValidationError(
            {
                "amount": [
                    ValidationError(
                        _(
                            "Over-payment: payments would total %(paid)s, more than the "
                            "%(due)s due on invoice %(number)s."
                        ),
                        code="overpaid",
                        params={"paid": paid, "due": due, "number": invoice.number},
                    )
                ]
            }
        )
    paid_on = totals["last"] if paid >= due else None
    if invoice.paid_amount != paid or invoice.paid_on != paid_on:
        invoice.paid_amount = paid
        invoice.paid_on = paid_on
        invoice.full_clean()
        invoice.save()
    return invoice


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
    """Record a payment against an invoice and settle the invoice in the same transaction,
    with its row locked (see ``invoice_settle``)."""
    invoice = _lock_invoice(invoice)
    _refuse_archived(invoice)
    _check_amount(amount)
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
    invoice_settle(invoice=invoice, by=by)
    return payment


@transaction.atomic
def payment_upsert(
    *,
    invoice: Invoice,
    by: Any,
    amount: Decimal,
    paid_on: dt.date,
    method: str = "",
    external_id: str | None = None,
    current: Payment | None = None,
) -> str:
    """The bulk form of ``payment_record``, for the importer: store a payment that may exist
    already (``current``, matched by the caller on its natural key) and settle the invoices
    it touches, each locked, under the same rules (archived customers, over-payment).
    Returns "created", "updated" or "unchanged". A savepoint: a refused payment leaves
    nothing behind and the import carries on with its next row."""
    invoice = _lock_invoice(invoice)
    _check_amount(amount)
    if current is None:
        _refuse_archived(invoice)
        payment = Payment(
            invoice=invoice,
            customer_id=invoice.customer_id,
            paid_on=paid_on,
            amount=money(amount),
            method=method,
            external_id=external_id or None,
        )
        payment.full_clean()
        payment.save()
        invoice_settle(invoice=invoice, by=by)
        return "created"
    moved_from = current.invoice_id if current.invoice_id != invoice.pk else None
    values = {
        "invoice_id": invoice.pk,
        "customer_id": invoice.customer_id,
        "paid_on": paid_on,
        "amount": money(amount),
    }
    if method:
        values["method"] = method
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return "unchanged"
    _refuse_archived(invoice)
    for name in changed:
        setattr(current, name, values[name])
    current.full_clean()
    current.save()
    if moved_from is not None:
        invoice_settle(invoice=_lock_invoice(Invoice(pk=moved_from)), by=by)
    invoice_settle(invoice=invoice, by=by)
    return "updated"
