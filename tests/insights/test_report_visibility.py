"""The report is computed over the customers the user may see: mia manages North and sees
North's customers only (wang, li), never South's chen; the analyst and the admin see all.
Filters narrow further; the page's query count does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehu.customers import services as customer_services
from kehu.insights import services
from tests.conftest import login

from .conftest import order

pytestmark = pytest.mark.django_db


def _report(client):
    response = client.get("/insights/")
    assert response.status_code == 200
    return response.context["report"], response.content.decode()


def test_manager_sees_own_teams_only(scored, client):
    login(client, scored.mia)
    report, html = _report(client)
    # North: wang 435, li −120, zhao (no business); South's chen (600) is not in it.
    assert report.customers == 3
    assert report.profit == pytest.approx(435 - 120)
    assert report.loss_count == 1
    assert [s.customer_id for s in report.losses] == [scored.li.pk]
    assert "李娜" in html and "陈静" not in html
    assert 'id="whale-chart"' in html and 'id="pareto-chart"' in html
    assert 'id="grade-chart"' in html and 'id="cohort-chart"' in html


def test_analyst_sees_everyone(scored, client):
    login(client, scored.ana)
    report, _html = _report(client)
    assert report.customers == 4
    assert report.profit == pytest.approx(435 - 120 + 600)
    # Ranked (with business): chen 600, wang 435, li −120 → top 20% (chen) make 600/915.
    assert report.headline["top20_pct"] == pytest.approx(600 / 915 * 100)
    assert report.whale[-1][0] == pytest.approx(100)


def test_team_filter_and_segment_filter(scored, client):
    login(client, scored.root)
    response = client.get(f"/insights/?team={scored.south.pk}")
    assert response.context["report"].customers == 1
    segment = response.context["report"].losses  # nothing lost in South
    assert segment == []
    response = client.get("/insights/?segment=champions&team=")
    report = response.context["report"]
    assert report.customers <= 4


def test_manager_filtering_other_team_gets_nothing(scored, client):
    login(client, scored.mia)
    response = client.get(f"/insights/?team={scored.south.pk}")
    assert response.status_code == 200
    assert response.context["report"].customers == 0
    assert b'id="no-customers"' in response.content


def test_query_count_is_bounded_and_flat(scored, client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/insights/").status_code == 200
        return len(queries)

    login(client, scored.mia)
    client.get("/insights/")  # warm the session
    first = count()
    # session, user, profile, managed teams, current run, last attempt, figures, curve,
    # losses, core, trend runs + figures, teams, regions; the notification bell's count.
    assert first <= 15
    for i in range(30):
        customer = customer_services.customer_create(
            by=scored.alice, owner=scored.alice, name=f"客户{i}"
        )
        order(customer, dt.date(2025, 6, 1 + i % 28), str(100 + i), "50")
    services.analytics_run(as_of=dt.date(2025, 7, 1))
    assert count() == first
