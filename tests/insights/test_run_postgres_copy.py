"""On PostgreSQL, scores written through COPY (the at-scale path) equal the INSERT path's, and
the customer fields come from the one UPDATE … FROM."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from kehu.insights import services
from kehu.insights.models import CustomerScore

from .conftest import AS_OF, EXPECTED_PROFIT

pytestmark = pytest.mark.django_db


def test_copy_path_stores_the_same_snapshot(shop, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(services, "COPY_THRESHOLD", 0)
    run = services.analytics_run(as_of=AS_OF)

    scores = {s.customer_id: s for s in CustomerScore.objects.filter(run=run)}
    for name, profit in EXPECTED_PROFIT.items():
        assert scores[getattr(shop, name).pk].profit == pytest.approx(profit)
    zhao = scores[shop.zhao.pk]
    # Labels the pipeline leaves null are stored as empty strings, numbers as NULL.
    assert zhao.grade == "" and zhao.churn_type == "" and zhao.p_alive is None
    assert zhao.loyalty_stage == "prospect"
    shop.li.refresh_from_db()
    assert shop.li.profit == Decimal("-120.00")
    assert shop.li.loyalty_stage == scores[shop.li.pk].loyalty_stage
