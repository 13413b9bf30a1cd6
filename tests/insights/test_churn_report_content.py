"""The churn report's figures over what the user may see (C6): churn over the runs with
complete vs partial, the risk distribution, reasons by segment, the live model's backtest, and
cohort retention with repeat rate from the visible customers' orders, narrowed by team,
region and segment."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from kehu.core.models import Region
from kehu.customers.models import Customer
from kehu.insights.models import ChurnBacktest, ChurnModel, CustomerScore
from kehu.sales.models import Order
from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


def charts(client, params=None) -> dict:
    response = client.get("/insights/churn/", params or {})
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r'<script id="churn-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(raw.group(1))


def buy(customer, *days: dt.date) -> None:
    for n, day in enumerate(days):
        Order.objects.create(
            customer=customer,
            number=f"SO-{customer.pk}-{n}",
            channel="web",
            ordered_on=day,
            amount=Decimal(100),
            cost=Decimal(50),
        )


@pytest.fixture
def made(org):
    m = risky(org)
    CustomerScore.objects.filter(run=m.run, customer=m.zhang).update(churn_type="complete")
    CustomerScore.objects.filter(run=m.run, customer=m.bolt).update(churn_type="partial")
    buy(m.zhang, dt.date(2025, 1, 5), dt.date(2025, 2, 7), dt.date(2025, 3, 1))
    buy(m.bolt, dt.date(2025, 1, 20))
    buy(m.chen, dt.date(2025, 2, 2), dt.date(2025, 4, 2))
    model = ChurnModel.objects.create(
        kind="activity",
        status="live",
        trained_at=timezone.now(),
        as_of=dt.date(2025, 6, 30),
        metrics={"model": {"auc": 0.81}, "baseline": {"auc": 0.74}},
        payload=b"",
    )
    for month, auc in ((dt.date(2025, 4, 30), 0.79), (dt.date(2025, 5, 31), 0.83)):
        ChurnBacktest.objects.create(
            model=model,
            month_end=month,
            customers=100,
            churn_rate=0.2,
            auc=auc,
            lift_top_decile=2.5,
        )
    return m


def test_trend_complete_and_partial(made, client):
    login(client, made.org.root)
    trend = charts(client)["trend"]
    assert [t["as_of"] for t in trend] == ["2025-05-31", "2025-06-30"]
    current = trend[-1]
    # Shelved is archived: out of every figure, like from every list.
    assert current["customers"] == 6 and current["complete"] == 1 and current["partial"] == 1
    assert current["high"] == 4 and current["medium"] == 1


def test_distribution_and_reasons(made, client):
    login(client, made.org.root)
    data = charts(client)
    counts = data["distribution"]["counts"]
    assert sum(counts) == 6 and counts[7] == 1 and counts[1] == 1  # 0.72 and 0.10
    reasons = data["reasons"]
    assert reasons["codes"][0] == "overdue"
    at_risk_row = reasons["segments"].index("at_risk")
    # 张伟 and Nothing (Shelved is archived; Gone is high risk too but in "lost")
    assert reasons["cells"][at_risk_row][reasons["codes"].index("overdue")] == 2


def test_backtest(made, client):
    login(client, made.org.ana)
    back = charts(client)["backtests"]
    assert [m["auc"] for m in back[0]["months"]] == [0.79, 0.83]
    html = client.get("/insights/churn/").content.decode()
    assert "AUC 0.810" in html


def test_cohorts_limited_to_what_the_manager_sees(made, client):
    login(client, made.org.root)
    everyone = charts(client)["cohorts"]
    assert everyone["cohorts"] == ["2025-01", "2025-02"]
    assert everyone["sizes"] == [2, 1]
    repeat = {r["cohort"]: r for r in everyone["repeat"]}
    assert repeat["2025-01"]["customers"] == 2 and repeat["2025-01"]["repeat_pct"] == 50.0
    login(client, made.org.mia)  # North only: Chen (South, Feb cohort) is not hers
    north = charts(client)["cohorts"]
    assert north["cohorts"] == ["2025-01"] and north["sizes"] == [2]


def test_filters_team_region_segment(made, client):
    org = made.org
    east = Region.objects.create(name="East")
    Customer.objects.filter(pk=made.chen.pk).update(region=east)
    login(client, org.root)
    south = charts(client, {"team": org.south.pk})
    assert south["trend"][-1]["customers"] == 1 and south["cohorts"]["cohorts"] == ["2025-02"]
    assert charts(client, {"region": east.pk})["cohorts"]["sizes"] == [1]
    seg = charts(client, {"segment": "at_risk"})
    assert seg["cohorts"]["cohorts"] == ["2025-01"] and seg["cohorts"]["sizes"] == [1]
