"""Orders and payments on the customer's timeline (registered in ``SalesConfig.ready()``)."""

from __future__ import annotations

from kehu.customers.models import Department
from kehu.customers.timeline import TimelineEntry, TimelineQuery, as_datetime
from kehu.sales.models import Order, Payment


def orders(query: TimelineQuery) -> list[TimelineEntry]:
    if query.excludes_department(Department.SALES):
        return []
    qs = Order.objects.filter(customer=query.customer)
    if query.channel:
        qs = qs.filter(channel=query.channel)
    rows = qs.order_by("-ordered_on", "-id")[query.offset : query.offset + query.limit]
    return [
        TimelineEntry(
            as_datetime(o.ordered_on),
            "order",
            o.number,
            detail=o.get_status_display(),
            channel=o.get_channel_display(),
            department=str(Department.SALES.label),
            all_day=True,
            amount=o.amount,
        )
        for o in rows
    ]


def payments(query: TimelineQuery) -> list[TimelineEntry]:
    # A payment comes on no contact channel: a channel filter leaves payments out.
    if query.channel or query.excludes_department(Department.BILLING):
        return []
    rows = Payment.objects.filter(customer=query.customer).order_by("-paid_on", "-id")[
        query.offset : query.offset + query.limit
    ]
    return [
        TimelineEntry(
            as_datetime(p.paid_on),
            "payment",
            p.method,
            department=str(Department.BILLING.label),
            all_day=True,
            amount=p.amount,
        )
        for p in rows
    ]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kehu.customers import timeline

    timeline.register("order", _("Order"), orders)
    timeline.register("payment", _("Payment"), payments)
