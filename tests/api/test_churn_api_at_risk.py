"""GET /at-risk: the web page's list, filters, paging and rules: each persona gets exactly the
at-risk customers it may see, analysts with phones masked, partner users only their shared
customers and no value; a filter value that is not one of the choices is a 400; a bounded
number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehu.customers.models import Customer
from tests.insights.churn_helpers import AT_RISK_VISIBLE, OVERDUE, put_on_row, risky, score

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize("persona", sorted(AT_RISK_VISIBLE))
def test_each_persona(org, api, persona):
    risky(org)
    response = api(persona).get("/at-risk", {"lang": "en"})
    assert names(response) == AT_RISK_VISIBLE[persona]
    items = {i["name"]: i for i in response.json()["items"]}
    if "张伟" in items:
        zhang = items["张伟"]
        assert zhang["band"] == "high" and zhang["probability"] == 0.72
        assert zhang["reasons"][0]["code"] == "overdue"
        assert zhang["phone"] == ("****8000" if persona == "ana" else "+8613800138000")
        assert zhang["value_at_risk"] == (None if persona == "pat" else 5000.0)


def test_filters_and_paging(org, api):
    made = risky(org)
    Customer.objects.filter(pk=made.bolt.pk).update(tier="key", grade="A")
    client = api("root")
    assert names(client.get("/at-risk", {"team": org.south.pk})) == ["Chen"]
    assert names(client.get("/at-risk", {"owner": org.bob.pk})) == ["Bolt"]
    assert names(client.get("/at-risk", {"tier": "key", "grade": "A"})) == ["Bolt"]
    assert names(client.get("/at-risk", {"segment": "at_risk"})) == ["张伟"]
    assert names(client.get("/at-risk", {"reason": "spend_down"})) == ["张伟"]
    assert names(client.get("/at-risk", {"band": "medium"})) == ["Bolt"]
    page = client.get("/at-risk", {"limit": 2}).json()
    assert page["count"] == 3 and page["next_offset"] == 2 and page["as_of"] == "2025-06-30"
    assert names(client.get("/at-risk", {"limit": 2, "offset": 2})) == ["Bolt"]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"tier": "gold"}, 400),
        ({"band": "low"}, 400),
        ({"segment": "whales"}, 400),
        ({"reason": "no such!"}, 400),
        ({"lang": "fr"}, 400),
        ({"team": "abc"}, 422),
        ({"limit": 0}, 422),
        ({"offset": -1}, 422),
    ],
)
def test_bad_values(org, api, params, status):
    risky(org)
    response = api("root").get("/at-risk", params)
    assert response.status_code == status
    assert "detail" in response.json()


def test_queries_do_not_grow_with_rows(org, api):
    made = risky(org)
    client = api("mia")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/at-risk").status_code == 200
        return len(captured)

    few = count()
    for i in range(20):
        c = Customer.objects.create(name=f"More {i}", owner=org.bob, team=org.north)
        score(made.run, c, p=0.6, band="high", value=10 + i, reasons=[OVERDUE])
        put_on_row(c, p=0.6, band="high", value=10 + i)
    assert count() <= few <= 12


def test_anonymous_is_401(org, api):
    assert api(None).get("/at-risk").status_code == 401
