"""Who has a call list: staff who log contacts (reps, managers, agents, administrators).
Analysts and partner users are refused (403), on the page and the API; logging a call for a
customer the user may not see is 404. Refusals write nothing, the audit trail included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.customers.models import Customer, Interaction
from tests.api.conftest import api as api_client
from tests.conftest import login
from tests.service.proactive_data import state

api = api_client  # the API tests' fixture: a client per persona with a bearer token


@pytest.fixture
def at_risk(org):
    Customer.objects.filter(pk=org.customer.pk).update(tier="key", churn_band="high",
                                                       value_at_risk=Decimal("12000"))  # fmt: skip
    return org.customer


@pytest.mark.parametrize("who,status", [("ana", 403), ("pat", 403), ("charlie", 404)])
def test_refused_and_nothing_written(client, org, at_risk, who, status):
    login(client, getattr(org, who))
    before = (state(), Interaction.objects.count())
    response = client.post(f"/service/calls/out/{at_risk.pk}/log/", {"outcome": "done"})
    assert response.status_code == status
    assert (state(), Interaction.objects.count()) == before
    if status == 403:
        assert client.get("/service/calls/out/").status_code == 403


def test_api_outbound(org, at_risk, api):
    body = api("alice").get("/calls/outbound").json()
    assert [row["customer"]["id"] for row in body["items"]] == [at_risk.pk]
    assert body["items"][0]["value_at_risk"] == "12000.00"
    assert body["items"][0]["phone"] == "+8613800138000"
    assert api("charlie").get("/calls/outbound").json() == {"items": []}
    assert api("ana").get("/calls/outbound").status_code == 403
    assert api("pat").get("/calls/outbound").status_code == 403
    assert api("alice").get("/calls/outbound", {"limit": 0}).status_code == 400
