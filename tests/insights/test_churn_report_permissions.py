"""Who may open the churn report and its exports: managers, analysts and administrators;
sales reps, service agents and partner users get 403 (and nothing changes); anonymous users
go to the login page; bad filter values are 400."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from tests.conftest import login
from tests.insights.churn_helpers import risky

pytestmark = pytest.mark.django_db

PATHS = ["/insights/churn/", "/insights/churn/export.csv", "/insights/churn/export.xlsx"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("root", 200),
        ("mia", 200),
        ("ana", 200),
        ("alice", 403),
        ("charlie", 403),
        ("sam", 403),
        ("pat", 403),
        ("quinn", 403),
    ],
)
def test_access(org, client, persona, status):
    risky(org)
    before = AuditEvent.objects.count()
    login(client, getattr(org, persona))
    for path in PATHS:
        assert client.get(path).status_code == status, path
    assert AuditEvent.objects.count() == before


def test_anonymous_goes_to_login(org, client):
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_without_any_run(org, client):
    login(client, org.root)
    response = client.get("/insights/churn/")
    assert response.status_code == 200 and b'id="no-run"' in response.content


@pytest.mark.parametrize(
    "params",
    [{"team": "x"}, {"region": "-3"}, {"segment": "whales"}, {"team": str(10**25)}],
)
def test_bad_filters_are_400(org, client, params):
    risky(org)
    login(client, org.root)
    for path in PATHS:
        assert client.get(path, params).status_code == 400, path
    assert client.get("/insights/churn/export.csv", {"table": "nope"}).status_code == 400
