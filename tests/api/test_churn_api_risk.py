"""GET /customers/{id}/risk: probability, band, reasons as codes and words (en, zh-Hans),
value at risk for roles that see cost (null for partner users), the trend; 404 for a customer
the caller may not see, exactly as for one that does not exist; "scored": false before any
run."""

from __future__ import annotations

import pytest

from tests.api.conftest import HIDDEN, SEES
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", SEES)
def test_who_sees_the_risk(org, api, persona):
    made = risky(org)
    response = api(persona).get(f"/customers/{made.zhang.pk}/risk", {"lang": "en"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scored"] is True and body["as_of"] == "2025-06-30"
    assert body["probability"] == 0.72 and body["band"] == "high"
    assert body["change"] == 0.2 and body["model"] == "activity"
    assert [r["code"] for r in body["reasons"]] == ["overdue", "spend_down"]
    assert body["reasons"][0]["text"] == "74 days since last purchase, usually 21"
    assert body["reasons"][0]["params"] == {"days": 74, "gap": 21}
    assert [t["as_of"] for t in body["trend"]] == ["2025-05-31", "2025-06-30"]
    assert body["value_at_risk"] == (None if persona == "pat" else 5000.0)


@pytest.mark.parametrize("persona", HIDDEN)
def test_invisible_customer_is_404_like_a_missing_one(org, api, persona):
    made = risky(org)
    hidden = api(persona).get(f"/customers/{made.zhang.pk}/risk")
    missing = api(persona).get("/customers/999999/risk")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_reasons_in_chinese(org, api):
    made = risky(org)
    body = api("mia").get(f"/customers/{made.zhang.pk}/risk", {"lang": "zh-Hans"}).json()
    assert body["reasons"][0]["text"] == "已 74 天未购买（通常 21 天）"


def test_not_scored_yet(org, api):
    body = api("root").get(f"/customers/{org.customer.pk}/risk").json()
    assert body["scored"] is False and body["probability"] is None
    assert body["reasons"] == [] and body["trend"] == []


@pytest.mark.parametrize("params", [{"lang": "fr"}, {"lang": "x" * 11}])
def test_bad_language_is_4xx(org, api, params):
    response = api("root").get(f"/customers/{org.customer.pk}/risk", params)
    assert response.status_code in (400, 422)
    assert "lang" in response.content.decode()


def test_anonymous_is_401(org, api):
    assert api(None).get(f"/customers/{org.customer.pk}/risk").status_code == 401
