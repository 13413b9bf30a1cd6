"""``kehu analytics run`` stores one snapshot with the hand-worked profits and fills the
customer fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from kehu.insights.models import AnalyticsRun, CustomerScore

from .conftest import AS_OF, EXPECTED_PROFIT

pytestmark = pytest.mark.django_db


def test_run_stores_snapshot_and_updates_customers(shop, capsys):
    call_command("analytics", "run", "--as-of", AS_OF.isoformat(), "--no-progress")

    run = AnalyticsRun.objects.get()
    assert run.status == AnalyticsRun.Status.SUCCEEDED
    assert run.as_of == AS_OF
    assert run.finished_at is not None
    scores = {s.customer_id: s for s in CustomerScore.objects.filter(run=run)}
    # The persona fixture's own customer was created today, after the as-of date: not known yet.
    assert run.customer_count == len(scores) == 4

    for name, profit in EXPECTED_PROFIT.items():
        assert scores[getattr(shop, name).pk].profit == pytest.approx(profit)
    wang = scores[shop.wang.pk]
    assert (wang.revenue, wang.cogs) == (pytest.approx(2000), pytest.approx(1200))
    assert wang.cost_to_serve == pytest.approx(65)
    assert wang.bad_debt == pytest.approx(300)
    assert scores[shop.li.pk].loss_reason == "cost_to_serve"
    assert scores[shop.zhao.pk].loyalty_stage == "prospect"
    assert run.summary["profit"] == pytest.approx(435 - 120 + 600)

    for name in ("wang", "li", "chen", "zhao"):
        customer = getattr(shop, name)
        customer.refresh_from_db()
        score = scores[customer.pk]
        assert customer.scored_at is not None
        assert customer.grade == score.grade
        assert customer.tier == score.tier
        assert customer.loyalty_stage == score.loyalty_stage
        assert customer.lifecycle_status == score.lifecycle_status
        assert customer.is_core == score.is_core
    assert shop.wang.profit == Decimal("435.00")
    # ABC on positive profit (1,035): chen (600) and wang (reaching 80%) are A, li loses: C.
    assert (shop.chen.grade, shop.wang.grade, shop.li.grade) == ("A", "A", "C")
