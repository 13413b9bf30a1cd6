"""/api/v1/surveys per persona: answers by visibility (partner users 403, analysts masked),
results and the loyalty curve for the report roles only; bad parameters are 422."""

from __future__ import annotations

import pytest

from kehu.service import services as service
from kehu.surveys import services
from tests.api.conftest import HIDDEN, SEES

REPORTS = {"mia": 200, "ana": 200, "root": 200, "alice": 403, "bob": 403, "charlie": 403,
           "sam": 403, "pat": 403, "quinn": 403}  # fmt: skip


@pytest.fixture
def answered(org):
    ticket = service.ticket_create(customer=org.customer, by=org.sam, assignee=org.sam,
                                   subject="空调不制冷", category="空调")  # fmt: skip
    service.ticket_resolve(ticket=ticket, by=org.sam, resolution="补充冷媒")
    return services.record_ticket_csat(ticket=ticket, score=5, comment="电话13800138000很及时")


@pytest.mark.parametrize("persona", SEES + HIDDEN)
def test_responses_by_persona(api, org, answered, persona):
    response = api(getattr(org, persona)).get("/surveys/responses")
    if persona in ("pat", "quinn"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    items = response.json()["items"]
    assert ([i["id"] for i in items] == [answered.pk]) == (persona in SEES)
    if items:
        assert items[0]["score"] == 5 and items[0]["completely_satisfied"] is True
        masked = persona == "ana"
        assert ("13800138000" in items[0]["comment"]) == (not masked)


@pytest.mark.parametrize("persona", sorted(REPORTS))
def test_results_and_loyalty_by_persona(api, org, answered, persona):
    client = api(getattr(org, persona))
    results = client.get("/surveys/results", {"by": "category"})
    loyalty = client.get("/surveys/loyalty")
    assert (results.status_code, loyalty.status_code) == (REPORTS[persona], REPORTS[persona])
    if REPORTS[persona] == 200:
        rows = results.json()["rows"]
        assert [(r["label"], r["csat_answers"], r["completely_satisfied"]) for r in rows] == [
            ("空调", 1, 1)
        ]
        five = [r for r in loyalty.json()["rows"] if r["score"] == 5][0]
        assert five["customers"] == 1


def test_bad_parameters_are_422(api, org):
    client = api(org.mia)
    assert client.get("/surveys/results", {"by": "colour"}).status_code == 422
    assert client.get("/surveys/results", {"months": "99"}).status_code == 422
    assert api(org.alice).get("/surveys/responses", {"kind": "x"}).status_code == 422
