"""The demo's proactive suggestions (issue #13, E9): the inputs the nightly rules read, then
one nightly run as of the demo's day, so the suggestions page and the call list have work.

- service intervals on the consumables and services that have one (filters every half year,
  the RO membrane and the deep clean yearly, the commercial filter set quarterly);
- failed payments: a few recent invoices of the first ``POOL`` demo customers whose payment
  did not go through (a declined card, an expired one, a rejected debit);
- the product of the recent fault tickets: the appliance the customer bought most recently
  (so faults cluster on the popular purifiers, as a bad batch would).
The usage drop needs nothing: the demo's partial churners buy less than they used to.
Running it again adds nothing (the rules are idempotent; the inputs are set once)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kehu.core import audit
from kehu.customers.models import Customer
from kehu.sales.models import Invoice, OrderLine, PaymentFailure, Product
from kehu.service import proactive
from kehu.service.models import Ticket

POOL = 20_000
INTERVALS = {"FL-PP": 180, "FL-CT": 180, "FL-HEPA": 180, "FL-RO": 365, "SV-CLN": 365,
             "BZ-FLK": 90}  # fmt: skip
APPLIANCES = ("净水", "空气净化", "清洁电器", "厨房电器", "个护", "商用设备")
REASONS = ("余额不足", "银行卡已过期", "银行拒绝扣款", "支付超时")
FAILED_SHARE = 0.25  # of the pool's invoices issued in the last month


def build_proactive(options: Any, org: Any) -> dict[str, int]:
    as_of: dt.date = options.as_of
    rng = random.Random(options.seed * 7907 + 9)
    for sku, days in INTERVALS.items():
        Product.objects.filter(sku=sku, service_interval_days__isnull=True).update(
            service_interval_days=days
        )
    pool = list(
        Customer.objects.filter(external_id__startswith="demo-", merged_into__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:POOL]
    )
    failures = 0
    if pool and not PaymentFailure.objects.exists():
        recent = Invoice.objects.filter(
            customer_id__in=pool, issued_on__gt=as_of - dt.timedelta(days=30),
            issued_on__lte=as_of,
        ).order_by("id").values_list("id", "customer_id", "amount", "paid_on")  # fmt: skip
        rows = []
        for pk, customer_id, amount, paid_on in recent:
            if rng.random() >= FAILED_SHARE or paid_on is not None:
                continue
            rows.append(PaymentFailure(customer_id=customer_id, invoice_id=pk,
                                       failed_on=as_of - dt.timedelta(days=rng.randint(0, 10)),
                                       amount=Decimal(amount), method="银行卡",
                                       reason=rng.choice(REASONS)))  # fmt: skip
        PaymentFailure.objects.bulk_create(rows)
        failures = len(rows)
    _fault_products(as_of, pool)
    now = timezone.make_aware(dt.datetime.combine(as_of, dt.time(20)))
    with audit.acting_as(None, "demo"):
        result = proactive.compute(now=now)
    return {"payment_failures": failures, **result.created}


def _fault_products(as_of: dt.date, pool: list[int]) -> None:
    since = timezone.make_aware(dt.datetime.combine(as_of - dt.timedelta(days=30), dt.time()))
    faults = list(
        Ticket.objects.filter(kind=Ticket.Kind.FAULT, product__isnull=True, opened_at__gte=since,
                              customer_id__in=pool)
        .values_list("id", "customer_id")
    )  # fmt: skip
    if not faults:
        return
    latest: dict[int, int] = {}
    for customer_id, product_id in (
        OrderLine.objects.filter(order__customer_id__in={c for _t, c in faults},
                                 product__category__in=APPLIANCES,
                                 order__ordered_on__lte=as_of)
        .order_by("order__ordered_on", "id")
        .values_list("order__customer_id", "product_id")
    ):  # fmt: skip
        latest[customer_id] = product_id
    for ticket_id, customer_id in faults:
        if customer_id in latest:
            Ticket.objects.filter(pk=ticket_id).update(product_id=latest[customer_id])
