"""Fewer orders than usual: against the customer's own year before the last 90 days."""

from __future__ import annotations

from django.utils import translation

from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion
from tests.service.proactive_data import NOW, customer, days_ago, order


def _monthly(c, months: int, start: int = 100) -> None:
    for m in range(months):
        order(c, days_ago(start + 30 * m))


def test_a_regular_buyer_who_stopped(org):
    stopped = customer(org, "王芳")
    _monthly(stopped, 12)  # a year of monthly orders, then nothing for 90 days
    steady = customer(org, "李娜")
    _monthly(steady, 12)
    for d in (10, 40, 70):
        order(steady, days_ago(d))
    rare = customer(org, "刘洋")
    _monthly(rare, 4, start=120)  # too few to call anything a drop

    proactive.compute(now=NOW)

    s = ProactiveSuggestion.objects.get()
    assert (s.customer_id, s.kind, s.key) == (stopped.pk, "usage_drop", "2025-06")
    assert s.params == {"recent": 0, "window": 90, "usual": "3.0"}
    with translation.override("en"):
        assert s.reason().startswith("0 orders in the last 90 days; usually about 3.0")


def test_half_the_usual_is_not_a_drop(org):
    c = customer(org, "王芳")
    _monthly(c, 12)
    order(c, days_ago(20))
    order(c, days_ago(50))  # 2 of the usual 3: within the normal ups and downs
    proactive.compute(now=NOW)
    assert not ProactiveSuggestion.objects.exists()
