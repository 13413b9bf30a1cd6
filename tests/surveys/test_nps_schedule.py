"""NPS on a schedule with an explicit ``now``: each customer asked once a quarter (the
survey's ``every_days``), again when the quarter has passed; archived customers never; the
batch caps a run. CSAT after a purchase: recent completed orders, once each."""

from __future__ import annotations

import datetime as dt

from kehu.customers import services as customers
from kehu.sales.models import Order
from kehu.surveys import schedule
from kehu.surveys.models import Invitation, Survey
from tests.surveys.helpers import at


def nps_invited(customer):
    return Invitation.objects.filter(customer=customer, survey__kind=Survey.Kind.NPS).count()


def test_asked_once_per_quarter(org):
    assert schedule.send_nps(now=at("2025-01-10 08:00")) == 1
    assert nps_invited(org.customer) == 1
    # A month later: not again.
    assert schedule.send_nps(now=at("2025-02-10 08:00")) == 0
    # 90 days later: still inside the 91-day quarter.
    assert schedule.send_nps(now=at("2025-01-10 08:00") + dt.timedelta(days=90)) == 0
    # 91 days later: the next quarter's question.
    assert schedule.send_nps(now=at("2025-01-10 08:00") + dt.timedelta(days=91)) == 1
    assert nps_invited(org.customer) == 2
    asked = sorted(Invitation.objects.filter(survey__kind="nps").values_list("asked_on", flat=True))
    assert asked == [dt.date(2025, 1, 10), dt.date(2025, 4, 11)]


def test_archived_customers_are_not_asked_and_batch_caps_a_run(org):
    second = customers.customer_create(by=org.alice, owner=org.alice, name="李娜")
    third = customers.customer_create(by=org.alice, owner=org.alice, name="王芳")
    customers.customer_archive(customer=third, by=org.mia)
    assert schedule.send_nps(now=at("2025-01-10 08:00"), batch=1) == 1
    assert schedule.send_nps(now=at("2025-01-11 08:00"), batch=1) == 1
    assert schedule.send_nps(now=at("2025-01-12 08:00"), batch=1) == 0
    assert (nps_invited(org.customer), nps_invited(second), nps_invited(third)) == (1, 1, 0)


def test_purchase_csat_for_recent_orders_once(org):
    recent = Order.objects.create(customer=org.customer, number="A-1", channel="store",
                                  ordered_on=dt.date(2025, 3, 2))  # fmt: skip
    Order.objects.create(customer=org.customer, number="A-0", channel="store",
                         ordered_on=dt.date(2025, 1, 2))  # fmt: skip
    Order.objects.create(customer=org.customer, number="A-2", channel="store",
                         ordered_on=dt.date(2025, 3, 2), status=Order.Status.CANCELLED)  # fmt: skip
    assert schedule.send_after_purchases(now=at("2025-03-03 08:00")) == 1
    assert schedule.send_after_purchases(now=at("2025-03-04 08:00")) == 0
    invitation = Invitation.objects.get(survey__kind=Survey.Kind.CSAT_ORDER)
    assert invitation.order == recent
