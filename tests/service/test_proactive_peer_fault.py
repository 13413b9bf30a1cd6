"""Fault seen elsewhere: two or more other customers opened fault tickets on a product in
the last 30 days; its other buyers are proposed."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion, Ticket
from tests.service.proactive_data import NOW, customer, days_ago, order, product


def _fault(org, c, p, days: int = 3) -> Ticket:
    return Ticket.objects.create(customer=c, subject="漏水", kind="fault", product=p,
                                 opened_at=NOW - dt.timedelta(days=days))  # fmt: skip


def test_other_buyers_of_the_faulty_product(org):
    purifier, kettle = product("RO反渗透净水器 600G"), product("电热水壶")
    a, b = customer(org, "王芳"), customer(org, "李娜")
    for c in (a, b):
        order(c, days_ago(200), purifier)
        _fault(org, c, purifier)
    buyer = customer(org, "刘洋")
    order(buyer, days_ago(300), purifier)
    other = customer(org, "陈静")
    order(other, days_ago(100), kettle)
    long_ago = customer(org, "赵磊")
    order(long_ago, days_ago(500), purifier)  # bought more than a year ago

    proactive.compute(now=NOW)

    s = ProactiveSuggestion.objects.get()
    assert (s.customer_id, s.kind) == (buyer.pk, "peer_fault")
    with translation.override("zh-hans"):
        assert "RO反渗透净水器 600G" in s.reason() and "2" in s.reason()
    with translation.override("en"):
        assert s.reason().startswith("2 other customers reported a fault with RO")


def test_one_report_or_an_old_one_is_not_enough(org):
    purifier = product("RO反渗透净水器 600G")
    a, b = customer(org, "王芳"), customer(org, "李娜")
    _fault(org, a, purifier)
    _fault(org, b, purifier, days=45)  # outside the 30 days
    order(customer(org, "刘洋"), days_ago(30), purifier)
    proactive.compute(now=NOW)
    assert not ProactiveSuggestion.objects.exists()
