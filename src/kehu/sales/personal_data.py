"""Orders, lines, invoices and payments in a personal-data export (registered in apps.py).

An erasure keeps all of them: amounts and dates are what the statistics are made of, and
they name no one once the customer record is anonymised.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kehu.core.personal_data import Source, model_rows, register
from kehu.sales.models import Invoice, Order, OrderLine, Payment


def register_sources() -> None:
    register(
        Source(
            key="sales.orders",
            label=_("Orders"),
            rows=lambda ids: model_rows(Order.objects.filter(customer_id__in=ids)),
        )
    )
    register(
        Source(
            key="sales.order_lines",
            label=_("Order lines"),
            rows=lambda ids: model_rows(
                OrderLine.objects.filter(order__customer_id__in=ids).order_by("order_id", "pk")
            ),
        )
    )
    register(
        Source(
            key="sales.invoices",
            label=_("Invoices"),
            rows=lambda ids: model_rows(Invoice.objects.filter(customer_id__in=ids)),
        )
    )
    register(
        Source(
            key="sales.payments",
            label=_("Payments"),
            rows=lambda ids: model_rows(Payment.objects.filter(customer_id__in=ids)),
        )
    )
