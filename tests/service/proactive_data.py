"""Hand-made sales and service data for the proactive suggestion and call list tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

from kehu.core.models import AuditEvent
from kehu.customers import services as customer_services
from kehu.sales.models import Order, OrderLine, Product
from kehu.service.models import ProactiveSuggestion

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The explicit "now" of every rule test: 2025-06-16 10:00 in Shanghai.
NOW = dt.datetime(2025, 6, 16, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
_numbers = itertools.count(1)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def product(name: str = "RO反渗透净水器", *, interval: int | None = None) -> Product:
    n = next(_numbers)
    return Product.objects.create(
        sku=f"P-{n}", name=name, price=Decimal("100"), service_interval_days=interval
    )


def order(customer, on: dt.date, *products: Product, status: str = "completed") -> Order:
    o = Order.objects.create(
        customer=customer, number=f"O-{next(_numbers)}", ordered_on=on, channel="store",
        status=status, amount=Decimal("100"),
    )  # fmt: skip
    for p in products:
        OrderLine.objects.create(order=o, product=p, quantity=1, unit_price=p.price,
                                 amount=p.price)  # fmt: skip
    return o


def customer(org, name: str, *, owner=None, **fields):
    owner = owner or org.alice
    return customer_services.customer_create(by=owner, owner=owner, name=name, **fields)


def state() -> tuple[list, int]:
    """What a refused request must leave as it was: the suggestions and the audit trail."""
    rows = list(
        ProactiveSuggestion.objects.order_by("id").values_list(
            "id", "status", "dismiss_reason", "ticket_id", "task_id"
        )
    )
    return rows, AuditEvent.objects.count()
