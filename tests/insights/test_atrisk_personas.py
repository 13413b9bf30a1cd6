"""The at-risk page per persona: each sees exactly the at-risk customers they may see, most
value at risk first (partner users: their shared customers, most likely to leave first, with
no value column); customers who are low risk, lost, archived or without value are never
listed; nothing is changed by looking."""

from __future__ import annotations

import re

import pytest

from kehu.core.models import AuditEvent
from tests.conftest import login
from tests.insights.churn_helpers import AT_RISK_VISIBLE, risky

pytestmark = pytest.mark.django_db


def listed(html: str) -> list[str]:
    return re.findall(r'<td class="card-title"><a href="/customers/\d+/#risk">([^<]+)</a>', html)


@pytest.mark.parametrize("persona", sorted(AT_RISK_VISIBLE))
def test_each_persona_sees_their_at_risk_customers(org, client, persona):
    risky(org)
    audit_before = AuditEvent.objects.count()
    login(client, getattr(org, persona))
    response = client.get("/insights/at-risk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert listed(html) == AT_RISK_VISIBLE[persona]
    for never in ("Low", "Gone", "Shelved", "Nothing"):
        assert f">{never}</a>" not in html
    assert AuditEvent.objects.count() == audit_before


def test_value_at_risk_column_only_for_cost_roles(org, client):
    risky(org)
    client.cookies["django_language"] = "en"
    login(client, org.mia)
    assert "5,000" in client.get("/insights/at-risk/").content.decode()
    login(client, org.pat)
    html = client.get("/insights/at-risk/").content.decode()
    assert "5,000" not in html and "5000" not in html


def test_analyst_sees_phones_masked(org, client):
    risky(org)
    login(client, org.ana)
    html = client.get("/insights/at-risk/").content.decode()
    assert "****8000" in html
    assert "13800138000" not in html and "138 0013 8000" not in html


def test_log_contact_link_follows_the_action_rule(org, client):
    risky(org)
    login(client, org.alice)
    link = f"/customers/{org.customer.pk}/interactions/new/"
    assert link in client.get("/insights/at-risk/").content.decode()
    login(client, org.ana)  # analysts read, never log contacts
    assert "/interactions/new/" not in client.get("/insights/at-risk/").content.decode()


def test_anonymous_goes_to_login(org, client):
    response = client.get("/insights/at-risk/")
    assert response.status_code == 302 and "/login/" in response["Location"]
