"""The reason filter tells the contractual model's input columns apart: "high" monthly charges
and "high" support calls are two filters, and the page offers what the run counted (one entry
per column, in words), not one "high" that mixes every column."""

from __future__ import annotations

import re

import numpy as np
import pytest

from kehu.customers.models import Customer
from kehu.insights import churn, selectors_churn
from kehu.insights.models import CustomerScore
from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db

HIGH_CHARGES = {
    "code": "high",
    "params": {"column": "MonthlyCharges", "value": 99.0, "typical": 70.0},
    "contribution": 0.6,
}
HIGH_CALLS = {
    "code": "high",
    "params": {"column": "attr:客服电话", "value": 6.0, "typical": 1.0},
    "contribution": 0.5,
}


def listed(client, params) -> list[str]:
    response = client.get("/insights/at-risk/", params)
    assert response.status_code == 200, response.content[:300]
    return re.findall(
        r'<td class="card-title"><a href="/customers/\d+/#risk">([^<]+)</a>',
        response.content.decode(),
    )


@pytest.fixture
def made(org, client):
    m = risky(org)
    CustomerScore.objects.filter(run=m.run, customer=m.org.customer).update(
        churn_reasons=[HIGH_CHARGES]
    )
    CustomerScore.objects.filter(run=m.run, customer=m.chen).update(churn_reasons=[HIGH_CALLS])
    login(client, org.root)
    return m


def test_column_filters_do_not_mix(made, client):
    assert listed(client, {"reason": "high:MonthlyCharges"}) == ["张伟"]
    assert listed(client, {"reason": "high:attr:客服电话"}) == ["Chen"]
    # The bare code still means "high on any column".
    assert listed(client, {"reason": "high"}) == ["Chen", "张伟"]
    assert listed(client, {"reason": "low:MonthlyCharges"}) == []


def test_run_counts_one_key_per_column():
    reasons = [[HIGH_CHARGES, HIGH_CALLS], [HIGH_CHARGES], [HIGH_CALLS], [{"code": "overdue"}]]
    bands = np.array(["high", "medium", "low", "high"], dtype=object)
    counts = churn.reason_filter_counts(reasons, bands)
    # The low-band customer's reasons are not counted: the filter is for the at-risk list.
    assert counts == {"high:MonthlyCharges": 2, "high:attr:客服电话": 1, "overdue": 1}


def test_page_offers_the_runs_keys_in_words(made, client):
    made.run.summary = {"churn": {"reason_filters": {"high:MonthlyCharges": 2, "overdue": 1}}}
    made.run.save(update_fields=["summary"])
    page = client.get("/insights/at-risk/").content.decode()
    assert 'value="high:MonthlyCharges"' in page
    assert 'value="overdue"' in page
    assert 'value="category"' not in page  # only what the run counted
    assert selectors_churn.reason_filter_label("high:MonthlyCharges", "en") == (
        "Monthly charges: high"
    )


def test_malformed_column_filter_is_400(made, client):
    before = list(Customer.objects.order_by("pk").values_list("pk", "churn_band"))
    assert client.get("/insights/at-risk/", {"reason": "high:\x00"}).status_code == 400
    assert client.get("/insights/at-risk/", {"reason": ":MonthlyCharges"}).status_code == 400
    assert list(Customer.objects.order_by("pk").values_list("pk", "churn_band")) == before
