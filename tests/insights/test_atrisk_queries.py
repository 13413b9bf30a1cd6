"""The at-risk page, its export and the API list run a fixed number of queries, whatever the
number of customers on the page (no query per row for reasons, owner, team or rules)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehu.customers import services as customer_services
from tests.conftest import login
from tests.insights.churn_helpers import OVERDUE, put_on_row, risky, score

pytestmark = pytest.mark.django_db

MAX_QUERIES = 14


def queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def more_at_risk(made, n: int) -> None:
    org = made.org
    for i in range(n):
        c = customer_services.customer_create(by=org.bob, owner=org.bob, name=f"More {i}")
        score(made.run, c, p=0.6, band="high", value=100 + i, reasons=[OVERDUE], segment="loyal")
        put_on_row(c, p=0.6, band="high", value=100 + i)


@pytest.mark.parametrize("persona", ["mia", "alice", "ana", "pat"])
def test_page_queries_do_not_grow_with_rows(org, client, persona):
    made = risky(org)
    login(client, getattr(org, persona))
    few = queries(client, "/insights/at-risk/")
    more_at_risk(made, 30)
    many = queries(client, "/insights/at-risk/", {"reason": "overdue", "segment": "loyal"})
    assert many <= few <= MAX_QUERIES, (few, many)


def test_export_queries_per_chunk(org, client):
    made = risky(org)
    more_at_risk(made, 30)
    login(client, org.mia)
    assert queries(client, "/insights/at-risk/export.csv") <= MAX_QUERIES
