"""/api/v1/service/measures and /service/lessons per persona, with the pages' rule: the
service agent (own and team) and the report roles 200, reps and partner users 403; the
figures are the selectors' own; bad parameters 422 naming the field."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.service import lessons, measures
from kehu.service import services as service

ALLOWED = {"sam": 200, "mia": 200, "ana": 200, "root": 200, "alice": 403, "bob": 403,
           "charlie": 403, "pat": 403, "quinn": 403}  # fmt: skip


@pytest.fixture
def complaint(org):
    ticket = service.ticket_create(customer=org.customer, by=org.sam, assignee=org.sam,
                                   subject="空调不制冷", category="空调",
                                   kind="complaint")  # fmt: skip
    ticket.root_cause = "冷媒不足"
    ticket.corrective_action = "补充冷媒"
    ticket.save()
    service.ticket_resolve(ticket=ticket, by=org.sam, resolution="补充冷媒")
    return ticket


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_measures_and_lessons_by_persona(api, org, complaint, persona):
    client = api(getattr(org, persona))
    audit_before = AuditEvent.objects.count()
    m = client.get("/service/measures", {"by": "category", "months": 3})
    report = client.get("/service/lessons", {"months": 3})
    assert (m.status_code, report.status_code) == (ALLOWED[persona], ALLOWED[persona])
    if ALLOWED[persona] != 200:
        assert AuditEvent.objects.count() == audit_before
        return
    totals = m.json()["totals"]
    assert [(t["label"], t["opened"], t["resolved"]) for t in totals] == [("空调", 1, 1)]
    body = report.json()
    assert body["total"] == 1
    assert body["categories"][0]["causes"][0]["root_cause"] == "冷媒不足"
    assert body["categories"][0]["causes"][0]["corrective_action"] == "补充冷媒"


def test_figures_are_the_selectors(api, org, complaint):
    body = api(org.mia).get("/service/measures", {"months": 2}).json()
    expected = measures.measures(user=org.mia, period=measures.last_months(2))
    assert body["totals"][0]["opened"] == expected.totals[0].opened == 1
    assert body["totals"][0]["fcr_pct"] == expected.totals[0].fcr_pct
    assert [r["opened"] for r in body["rows"]] == [r.opened for r in expected.rows]
    report = lessons.lessons(user=org.mia, period=measures.last_months(2))
    assert api(org.mia).get("/service/lessons", {"months": 2}).json()["total"] == report.total


def test_bad_parameters_name_the_field(api, org):
    client = api(org.mia)
    for params, field in (({"by": "colour"}, "by"), ({"months": "99"}, "months")):
        response = client.get("/service/measures", params)
        assert response.status_code == 422
        assert field in response.content.decode()
    assert client.get("/service/lessons", {"months": "0"}).status_code == 422
