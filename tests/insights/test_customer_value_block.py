"""The 360 value block: two runs → history, and what changed shown ("grade A → C"), in at most
3 queries; partner users do not get the block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kehu.insights import services

from .conftest import AS_OF, order, ticket

pytestmark = pytest.mark.django_db


def render(customer, user) -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load insights %}{% customer_value customer %}")
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        html = template.render(Context({"request": request, "customer": customer}))
    return html, len(queries)


def test_two_runs_show_history_and_changes(scored, django_assert_max_num_queries):
    # Between the runs a 10,000-minute ticket (20 + 10,000 × 1) turns wang's profit 435 into
    # −9,585: grade A → C.
    ticket(scored.wang, dt.date(2025, 7, 10), 10_000)
    order(scored.li, dt.date(2025, 7, 20), "5000", "1000")
    services.analytics_run(as_of=dt.date(2025, 7, 31))

    user = scored.ana
    assert user.profile  # the 360 page has loaded the profile already
    html, queries = render(scored.wang, user)
    assert queries <= 3
    assert 'id="value"' in html
    assert "2025-07-31" in html and f"Since {AS_OF.isoformat()}" in html
    assert 'data-field="grade"' in html
    assert "A → <strong>C</strong>" in html
    assert "−10,020" in html  # the profit delta
    assert 'data-chart="spark"' in html
    assert "echarts-5.6.0.min.js" in html


def test_unscored_customer(org):
    html, queries = render(org.customer, org.root)
    assert 'id="value-none"' in html
    assert queries <= 3


def test_partner_user_gets_no_block(scored):
    html, _queries = render(scored.customer, scored.pat)
    assert html.strip() == ""
