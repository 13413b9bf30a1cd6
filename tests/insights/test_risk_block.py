"""The 360 risk block: probability, band, the model's reasons in the reader's language, value
at risk only for roles that see cost, the trend over past runs, and "not scored yet" when no
run scored the customer; one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


def render(customer, user, lang="en") -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load insights %}{% customer_risk customer %}")
    assert user.profile  # the 360 page has loaded the profile already
    with CaptureQueriesContext(connection) as queries, translation.override(lang):
        html = template.render(Context({"request": request, "customer": customer}))
    return html, len(queries)


def test_scored_customer_in_english(org):
    made = risky(org)
    html, queries = render(made.zhang, org.mia)
    assert queries <= 1
    assert 'id="risk-probability">72%' in html
    assert "High risk" in html
    assert "74 days since last purchase, usually 21" in html
    assert "spend down 60 % on last year" in html
    assert 'id="risk-value">5,000' in html
    assert "+20 pts" in html  # the change since the last run
    assert 'id="risk-spark"' in html and "2025-05-31: 52%" in html and "2025-06-30: 72%" in html


def test_reasons_in_chinese(org):
    made = risky(org)
    html, _q = render(made.zhang, org.mia, lang="zh-hans")
    assert "已 74 天未购买（通常 21 天）" in html
    assert "消费较去年下降 60 %" in html
    html, _q = render(made.chen, org.root, lang="zh-hans")
    assert "按月合同" in html  # a contract column's category, in its Chinese phrase
    html, _q = render(made.chen, org.root, lang="en")
    assert "month-to-month contract" in html


@pytest.mark.parametrize("persona", ["pat"])
def test_no_value_at_risk_without_see_cost(org, persona):
    made = risky(org)
    html, _q = render(made.zhang, getattr(org, persona))
    assert 'id="risk-probability"' in html
    assert 'id="risk-value"' not in html and "5,000" not in html


def test_not_scored_yet(org):
    html, queries = render(org.customer, org.root)
    assert 'id="risk-none"' in html and "Not scored yet" in html
    assert queries <= 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("root", 200),
        ("mia", 200),
        ("alice", 200),
        ("sam", 200),
        ("ana", 200),
        ("pat", 200),
        ("charlie", 404),
        ("quinn", 404),
    ],
)
def test_block_on_the_360_page(org, client, persona, status):
    made = risky(org)
    login(client, getattr(org, persona))
    response = client.get(f"/customers/{made.zhang.pk}/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert 'id="risk"' in html and 'id="risk-probability"' in html
        assert ('id="risk-value"' in html) is (persona != "pat")
