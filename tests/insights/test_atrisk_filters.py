"""The at-risk page's filters narrow the list (team, owner, tier, grade, RFM segment, reason,
band) and page it; a value that is not a whole number or one of the choices is a 400 naming
the parameter, never a 500 or a silently unfiltered list."""

from __future__ import annotations

import re

import pytest

from kehu.customers.models import Customer
from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


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
    Customer.objects.filter(pk=m.bolt.pk).update(tier="key", grade="A")
    login(client, org.root)
    return m


def test_filters(made, client):
    org = made.org
    assert listed(client, {"team": org.north.pk}) == ["张伟", "Bolt"]
    assert listed(client, {"team": org.south.pk}) == ["Chen"]
    assert listed(client, {"owner": org.bob.pk}) == ["Bolt"]
    assert listed(client, {"tier": "key"}) == ["Bolt"]
    assert listed(client, {"grade": "A"}) == ["Bolt"]
    assert listed(client, {"segment": "cant_lose"}) == ["Chen"]
    assert listed(client, {"reason": "spend_down"}) == ["张伟"]  # its second reason
    assert listed(client, {"reason": "category"}) == ["Chen"]
    assert listed(client, {"band": "medium"}) == ["Bolt"]
    assert listed(client, {"band": "high", "team": org.north.pk}) == ["张伟"]
    assert listed(client, {"segment": "champions"}) == []  # Low is a champion, but low risk


def test_paging(made, client, settings):
    from kehu.insights import views_churn

    views_churn.PAGE_SIZE, saved = 2, views_churn.PAGE_SIZE
    try:
        first = client.get("/insights/at-risk/").content.decode()
        assert 'id="next-page"' in first and 'id="prev-page"' not in first
        assert listed(client, {"page": 2}) == ["Bolt"]
        assert listed(client, {"page": 9}) == []
    finally:
        views_churn.PAGE_SIZE = saved


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"team": "1,2"},
        {"team": str(10**30)},
        {"owner": "-1"},
        {"tier": "gold"},
        {"grade": "Z"},
        {"segment": "whales"},
        {"band": "low"},
        {"band": "purple"},
        {"reason": "'; DROP TABLE customers; --"},
        {"page": "0"},
        {"page": "x"},
    ],
)
def test_bad_values_are_400(made, client, params):
    response = client.get("/insights/at-risk/", params)
    assert response.status_code == 400
    for path in ("/insights/at-risk/export.csv", "/insights/at-risk/export.xlsx"):
        if "page" not in params:
            assert client.get(path, params).status_code == 400
