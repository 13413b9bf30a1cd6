"""The call list: due retention tasks, key/major customers at high risk, open proactive
suggestions; one row per customer, highest value at risk first; a customer phoned today
drops off."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.retention.models import Task
from kehu.service import calllist
from kehu.service.models import ProactiveSuggestion
from tests.service.proactive_data import customer


def _at_risk(org, name: str, risk: str, *, tier="key", band="high", owner=None) -> Customer:
    c = customer(org, name, owner=owner)
    Customer.objects.filter(pk=c.pk).update(tier=tier, churn_band=band,
                                            value_at_risk=Decimal(risk))  # fmt: skip
    return c


def test_sources_merged_and_ordered_by_value_at_risk(org):
    today = timezone.localdate()
    big = _at_risk(org, "大客户", "50000")
    _at_risk(org, "低风险", "90000", band="medium")  # not at high risk: not listed
    _at_risk(org, "小客户", "90000", tier="small")  # not key or major: not listed
    _at_risk(org, "别人的", "80000", owner=org.bob)  # bob's book, not alice's
    tasked = customer(org, "有任务")
    Task.objects.create(customer=tasked, title="挽留电话", due_on=today, assigned_to=org.alice,
                        priority=20000.0)  # fmt: skip
    suggested = customer(org, "有建议")
    ProactiveSuggestion.objects.create(customer=suggested, kind="payment_failed", key="p:1",
                                       due_on=today, priority=30000.0, assigned_to=org.alice,
                                       params={"amount": "30,000.00", "failed": "2025-06-13",
                                               "reason": ""})  # fmt: skip
    Task.objects.create(customer=big, title="季度回访", due_on=today, assigned_to=org.alice,
                        priority=100.0)  # fmt: skip

    rows = calllist.call_list(user=org.alice, today=today)

    assert [r.customer_id for r in rows] == [big.pk, suggested.pk, tasked.pk]
    assert len(rows[0].reasons) == 2 and rows[0].task_ids  # the task and the risk, one row
    assert rows[1].suggestion_ids and rows[2].task_ids
    # The manager's list holds the team's at-risk customers, bob's included.
    names = [r.customer.name for r in calllist.call_list(user=org.mia, today=today)]
    assert names[:2] == ["别人的", "大客户"]


def test_a_customer_phoned_today_leaves_the_list(org):
    c = _at_risk(org, "大客户", "50000")
    assert [r.customer_id for r in calllist.call_list(user=org.alice)] == [c.pk]
    customer_services.interaction_log(customer=c, by=org.bob, channel="phone", direction="in",
                                      subject="客户来电")  # fmt: skip
    assert [r.customer_id for r in calllist.call_list(user=org.alice)] == [c.pk]
    calllist.log_call(user=org.alice, customer=c, outcome="no_answer")
    assert calllist.call_list(user=org.alice) == []
