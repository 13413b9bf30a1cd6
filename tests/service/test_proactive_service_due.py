"""Service due: the last purchase of a product with a service interval reaches it within
30 days behind to 14 days ahead of today; once per product and due date."""

from __future__ import annotations

from django.utils import translation

from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion
from tests.service.proactive_data import NOW, customer, days_ago, order, product


def test_due_soon_is_proposed_once_and_explained(org):
    filter_ = product("PP棉滤芯", interval=180)
    no_interval = product("电饭煲")
    due_soon = customer(org, "王芳")
    order(due_soon, days_ago(170), filter_)  # due in 10 days
    recent = customer(org, "李娜")
    order(recent, days_ago(100), filter_)  # due in 80 days: not yet
    long_past = customer(org, "刘洋")
    order(long_past, days_ago(220), filter_)  # due 40 days ago: past the window
    newer = customer(org, "陈静")
    order(newer, days_ago(400), filter_)
    order(newer, days_ago(60), filter_)  # the last purchase counts: not due
    order(customer(org, "赵磊"), days_ago(175), no_interval)

    result = proactive.compute(now=NOW)
    again = proactive.compute(now=NOW)

    rows = list(ProactiveSuggestion.objects.all())
    assert [(s.customer_id, s.kind) for s in rows] == [(due_soon.pk, "service_due")]
    assert result.created == {"service_due": 1} and again.created == {}
    s = rows[0]
    assert s.due_on == days_ago(170 - 180) and s.assigned_to == org.alice
    with translation.override("zh-hans"):
        assert "PP棉滤芯" in s.reason() and "180" in s.reason()
    with translation.override("en"):
        assert s.reason().startswith("Bought PP棉滤芯 on ")


def test_dismissed_does_not_come_back(org):
    filter_ = product("PP棉滤芯", interval=180)
    c = customer(org, "王芳")
    order(c, days_ago(175), filter_)
    proactive.compute(now=NOW)
    s = ProactiveSuggestion.objects.get()
    proactive.suggestion_dismiss(suggestion=s, by=org.alice, reason="上周已经换过")
    proactive.compute(now=NOW)
    assert list(ProactiveSuggestion.objects.values_list("status", flat=True)) == ["dismissed"]


def test_cancelled_orders_do_not_count(org):
    filter_ = product("PP棉滤芯", interval=180)
    order(customer(org, "王芳"), days_ago(175), filter_, status="cancelled")
    proactive.compute(now=NOW)
    assert not ProactiveSuggestion.objects.exists()
