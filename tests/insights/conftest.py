"""A small shop with profits worked out by hand (default analytics settings).

As of 2025-06-30, in team North (owner alice) unless told:

``wang``  two completed orders 1,000 / cost 600 → revenue 2,000, cogs 1,200; a ticket of 30
          minutes (20 + 30 × 1 = 50) and a 10-minute phone call (5 + 10 × 1 = 15) → cost to
          serve 65; an invoice of 500 with 200 paid, due 2025-01-31 and unpaid (150 days
          overdue > 90) → bad debt 300. Profit 2,000 − 1,200 − 65 − 300 = 435.
``li``    one order 100 / cost 80; a 60-minute field visit (80 + 60 × 1 = 140) → profit −120,
          a loss through cost to serve.
``chen``  team South (owner charlie): one order 900 / cost 300 → profit 600. A cancelled order
          and an order after the as-of date are ignored.
``zhao``  a qualified prospect without business: no profit, loyalty stage "prospect".
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from kehu.customers import services as customer_services
from kehu.customers.models import Interaction
from kehu.sales.models import Invoice, Order
from kehu.service.models import Ticket

AS_OF = dt.date(2025, 6, 30)
EXPECTED_PROFIT = {"wang": 435.0, "li": -120.0, "chen": 600.0}

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def order(customer, day: dt.date, amount, cost, status=Order.Status.COMPLETED) -> Order:
    return Order.objects.create(
        customer=customer,
        number=f"SO-{next(_numbers)}",
        ordered_on=day,
        channel="store",
        status=status,
        amount=Decimal(amount),
        cost=Decimal(cost),
    )


def invoice(customer, *, issued: dt.date, due: dt.date, amount, paid=0, paid_on=None):
    return Invoice.objects.create(
        customer=customer,
        number=f"INV-{next(_numbers)}",
        issued_on=issued,
        due_on=due,
        amount=Decimal(amount),
        paid_amount=Decimal(paid),
        paid_on=paid_on,
    )


def interaction(customer, day: dt.date, channel: str, minutes: int) -> Interaction:
    return Interaction.objects.create(
        customer=customer,
        channel=channel,
        subject="contact",
        occurred_at=at(day),
        duration_minutes=minutes,
    )


def ticket(customer, day: dt.date, minutes: int) -> Ticket:
    return Ticket.objects.create(
        customer=customer, subject="repair", opened_at=at(day), minutes_spent=minutes
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas' PBKDF2 hashing costs seconds per test; these tests are not about logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop(org):
    o = org
    by = o.alice
    o.wang = customer_services.customer_create(
        by=by, owner=o.alice, name="王芳", acquired_on=dt.date(2023, 1, 5)
    )
    o.li = customer_services.customer_create(
        by=by, owner=o.alice, name="李娜", acquired_on=dt.date(2024, 3, 1)
    )
    o.chen = customer_services.customer_create(
        by=o.charlie, owner=o.charlie, name="陈静", acquired_on=dt.date(2024, 6, 1)
    )
    o.zhao = customer_services.customer_create(
        by=by, owner=o.alice, name="赵磊", is_qualified=True, acquired_on=dt.date(2025, 5, 1)
    )
    order(o.wang, dt.date(2024, 11, 2), "1000", "600")
    order(o.wang, dt.date(2025, 5, 20), "1000", "600")
    ticket(o.wang, dt.date(2025, 2, 3), 30)
    interaction(o.wang, dt.date(2025, 3, 4), "phone", 10)
    invoice(o.wang, issued=dt.date(2025, 1, 1), due=dt.date(2025, 1, 31), amount="500", paid="200")
    order(o.li, dt.date(2025, 4, 1), "100", "80")
    interaction(o.li, dt.date(2025, 4, 2), "field", 60)
    order(o.chen, dt.date(2025, 6, 1), "900", "300")
    order(o.chen, dt.date(2025, 6, 2), "5000", "10", status=Order.Status.CANCELLED)
    order(o.chen, dt.date(2025, 7, 15), "7000", "10")
    return o


@pytest.fixture
def scored(shop):
    """The shop after one analytics run as of AS_OF."""
    from kehu.insights import services

    shop.run = services.analytics_run(as_of=AS_OF)
    return shop
