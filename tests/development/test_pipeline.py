"""Conversion opens a deal in the pipeline; deals move between stages (lost needs a reason);
the board shows each open stage's count, value and forecast, to those who may see the deal;
a refused move changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kehu.core.models import AuditEvent
from kehu.development import opportunities, services
from kehu.development.models import Opportunity
from tests.conftest import login
from tests.development.conftest import qualify_all


@pytest.fixture
def deal(org, leads):
    qualify_all(leads.north, org.alice)
    services.lead_convert(lead=leads.north, by=org.alice)
    return Opportunity.objects.get(lead=leads.north)


def test_conversion_opens_a_deal(org, deal):
    assert deal.stage == "qualification" and deal.owner == org.alice
    assert deal.customer.from_leads.get() == deal.lead


def test_board_counts_and_forecast(org, deal):
    deal.amount = Decimal("10000")
    deal.save()
    opportunities.opportunity_move(opportunity=deal, stage="proposal", by=org.alice)
    column = {c["stage"]: c for c in opportunities.board(user=org.alice)}["proposal"]
    assert column["count"] == 1 and column["value"] == Decimal("10000")
    assert column["forecast"] == Decimal("5000")
    assert not opportunities.board(user=org.charlie)[2]["deals"]


def test_lost_needs_a_reason(client, org, deal):
    url = reverse("development:opportunity_move", args=[deal.pk])
    r = login(client, org.alice).post(url, {"stage": "lost", "reason": ""})
    assert r.status_code == 422
    deal.refresh_from_db()
    assert deal.stage == "qualification"
    r = client.post(url, {"stage": "lost", "reason": "买了竞品"})
    deal.refresh_from_db()
    assert r.status_code == 200 and deal.stage == "lost" and deal.stage_reason == "买了竞品"


@pytest.mark.parametrize("who,status", [("charlie", 404), ("pat", 403), ("ana", 403)])
def test_move_refused_changes_nothing(client, org, deal, who, status):
    events = AuditEvent.objects.count()
    url = reverse("development:opportunity_move", args=[deal.pk])
    r = login(client, getattr(org, who)).post(url, {"stage": "won"})
    assert r.status_code == status
    deal.refresh_from_db()
    assert deal.stage == "qualification" and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "who,status", [("mia", 200), ("ana", 200), ("root", 200), ("alice", 403), ("pat", 403)]
)
def test_report_is_for_report_roles(client, org, deal, who, status):
    r = login(client, getattr(org, who)).get(reverse("development:report"))
    assert r.status_code == status
    if status == 200 and who != "ana":
        assert "100%" in r.content.decode()  # the referral lead converted


@pytest.mark.parametrize("who", ["alice", "mia", "charlie", "pat"])
def test_pipeline_page(client, org, deal, who):
    r = login(client, getattr(org, who)).get(reverse("development:pipeline"))
    assert r.status_code == 200
    assert (deal.name in r.content.decode()) == (who in ("alice", "mia"))
