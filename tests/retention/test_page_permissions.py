"""Who may open each retention page: the persona matrix (status, and for writes nothing
changed)."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import AuditEvent
from kehu.retention import services
from kehu.retention.models import PolicyVersion, WorthFlag
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
REPORT_PERSONAS = [
    ("mia", 200), ("ana", 200), ("root", 200),
    ("alice", 403), ("charlie", 403), ("sam", 403), ("pat", 403),
]  # fmt: skip


@pytest.mark.parametrize(("persona", "status"), REPORT_PERSONAS)
@pytest.mark.parametrize("url", ["/retention/policy/", "/retention/results/", "/retention/exits/"])
def test_report_pages(org, client, persona, status, url):
    assert login(client, getattr(org, persona)).get(url).status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("root", 302), ("mia", 403), ("ana", 403), ("alice", 403), ("pat", 403),
])  # fmt: skip
def test_only_administrators_edit_the_policy(org, client, persona, status):
    current = services.current_policy()
    events = AuditEvent.objects.count()
    import json

    data = {"playbooks": json.dumps(current.playbooks), "note": "x", "cell_key_high": "try_hard"}
    response = login(client, getattr(org, persona)).post("/retention/policy/", data)
    assert response.status_code == status
    if status == 302:
        assert PolicyVersion.objects.count() == 2
        assert services.current_policy().playbook_for("key", "high") == "try_hard"
    else:
        assert PolicyVersion.objects.count() == 1
        assert AuditEvent.objects.count() == events


def test_bad_policy_json_is_a_400_naming_the_line(org, client):
    services.current_policy()
    response = login(client, org.root).post("/retention/policy/", {"playbooks": "{\n oops"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "line 2" in body or "第 2 行" in body
    assert PolicyVersion.objects.count() == 1


@pytest.mark.parametrize(("persona", "status"), [
    ("alice", 200), ("bob", 200), ("mia", 200), ("ana", 200), ("root", 200), ("pat", 200),
    ("charlie", 404), ("quinn", 404),
])  # fmt: skip
def test_customer_retention_page(org, client, persona, status):
    response = login(client, getattr(org, persona)).get(f"/retention/customers/{org.customer.pk}/")
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("mia", 302), ("root", 302), ("alice", 403), ("ana", 403), ("pat", 403),
])  # fmt: skip
def test_flagging_is_for_managers(org, client, persona, status):
    response = login(client, getattr(org, persona)).post(
        f"/retention/customers/{org.customer.pk}/flag/", {"reason": "reputation", "note": "press"}
    )
    assert response.status_code == status
    assert WorthFlag.objects.exists() == (status == 302)


def test_flagged_customer_page_says_why(org, client):
    services.flag_customer(customer=org.customer, reason="harms_staff", note="shouted", by=org.mia)
    body = login(client, org.alice).get(f"/retention/customers/{org.customer.pk}/").content.decode()
    assert "not-worth-keeping" in body and "shouted" in body


def test_results_page_needs_reports_and_a_group(org, client):
    scored(org, n=40, tier="key", band="high")
    services.generate_tasks(as_of=dt.date(2026, 12, 1), by=org.root, use_triggers=False)
    assert login(client, org.mia).get("/retention/results/playbook:all_costs/").status_code == 200
    assert login(client, org.alice).get("/retention/results/playbook:all_costs/").status_code == 403
    assert login(client, org.mia).get("/retention/results/playbook:nothing/").status_code == 404
