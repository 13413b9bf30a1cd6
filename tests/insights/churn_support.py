"""A shop of steady buyers and leavers for the churn tests (as of conftest.AS_OF).

80 buyers with two years of orders every 3–6 weeks: the first 50 keep buying up to the as-of
date, the last 30 stopped 7–14 months before it; plus two prospects without orders. Built with
bulk inserts (orders are not what these tests are about).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from kehu.customers import services as customer_services
from kehu.sales.models import Order

from .conftest import AS_OF

STAYERS, LEAVERS = 50, 30


def make_buyers(org):
    rng = np.random.default_rng(3)
    start = AS_OF - dt.timedelta(days=730)
    orders, people = [], []
    for i in range(STAYERS + LEAVERS):
        c = customer_services.customer_create(
            by=org.alice, owner=org.alice, name=f"客户{i}", acquired_on=start,
            attributes={"plan": "年度" if i % 3 else "按月"},
        )  # fmt: skip
        people.append(c)
        gap = int(rng.integers(21, 43))
        end = AS_OF if i < STAYERS else AS_OF - dt.timedelta(days=int(rng.integers(210, 420)))
        day = start + dt.timedelta(days=int(rng.integers(0, gap)))
        while day <= end:
            orders.append(
                Order(
                    customer=c,
                    number=f"B-{i}-{day:%Y%m%d}",
                    ordered_on=day,
                    channel="store",
                    status=Order.Status.COMPLETED,
                    amount=Decimal(int(rng.integers(80, 400))),
                    cost=Decimal(50),
                )
            )
            day += dt.timedelta(days=gap + int(rng.integers(-5, 6)))
    Order.objects.bulk_create(orders)
    org.buyers = people
    org.stayers, org.leavers = people[:STAYERS], people[STAYERS:]
    org.prospects = [
        customer_services.customer_create(
            by=org.alice, owner=org.alice, name=f"潜客{i}", acquired_on=start
        )
        for i in range(2)
    ]
    return org
