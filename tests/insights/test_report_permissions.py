"""Who may open the value report: managers, analysts and administrators; sales reps, service
agents and partner users are refused (403); anonymous users go to the login page."""

from __future__ import annotations

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("mia", 200),  # manager
        ("ana", 200),  # analyst
        ("root", 200),  # administrator
        ("alice", 403),  # sales rep
        ("charlie", 403),  # sales rep of another team (an outsider)
        ("sam", 403),  # service agent
        ("pat", 403),  # partner user
    ],
)
def test_report_access(scored, client, persona, status):
    login(client, getattr(scored, persona))
    assert client.get("/insights/").status_code == status


def test_anonymous_goes_to_login(scored, client):
    response = client.get("/insights/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_report_without_any_run(org, client):
    login(client, org.root)
    response = client.get("/insights/")
    assert response.status_code == 200
    assert b'id="no-run"' in response.content
