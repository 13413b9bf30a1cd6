"""/api/v1/reports/balanced per persona: managers, analysts and administrators 200, every
other role 403 with nothing written; the month's figures are the selector's, with the
verdict against the tier target; a bad tier or month count is 422 naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer
from kehu.insights import selectors_balanced as B
from kehu.service import measures
from kehu.service import services as service
from kehu.service.models import TierTarget

ALLOWED = {"mia": 200, "ana": 200, "root": 200, "alice": 403, "bob": 403, "charlie": 403,
           "sam": 403, "pat": 403, "quinn": 403}  # fmt: skip


@pytest.fixture
def resolved(org):
    ticket = service.ticket_create(customer=org.customer, by=org.sam, assignee=org.sam,
                                   subject="空调不制冷", category="空调")  # fmt: skip
    service.ticket_resolve(ticket=ticket, by=org.sam, resolution="补充冷媒")
    return ticket


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_balanced_by_persona(api, org, resolved, persona):
    before = AuditEvent.objects.count()
    response = api(getattr(org, persona)).get("/reports/balanced", {"months": 2})
    assert response.status_code == ALLOWED[persona]
    assert AuditEvent.objects.count() == before
    if ALLOWED[persona] == 200:
        assert len(response.json()["rows"]) == 2


def test_figures_are_the_selectors_with_verdicts(api, org, resolved):
    tier = B.TIERS[0]
    Customer.objects.filter(pk=org.customer.pk).update(tier=tier)
    TierTarget.objects.create(tier=tier, fcr_pct=Decimal("50.0"))
    body = api(org.mia).get("/reports/balanced", {"months": 2, "tier": tier}).json()
    report = B.balanced(user=org.mia, period=measures.last_months(2), tier=tier)
    last = report.months[-1]
    assert body["rows"][-1]["resolved"] == last.resolved == 1
    assert body["rows"][-1]["fcr_pct"] == last.fcr_pct
    assert body["rows"][-1]["verdicts"]["fcr_pct"] == report.verdict(last, "fcr_pct") != ""
    assert body["targets"]["fcr_pct"] == 50.0


def test_bad_parameters_name_the_field(api, org):
    client = api(org.mia)
    for params, field in (({"tier": "gold-ish"}, "tier"), ({"months": "0"}, "months")):
        response = client.get("/reports/balanced", params)
        assert response.status_code == 422
        assert field in response.content.decode()
