"""Dragging a deal on the board: the columns carry their stage and the deals their move
URL (only for those who may move them); the drop's htmx POST moves the deal and answers
with the board; a drop by someone who may not move the deal changes nothing, audit included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.core.models import AuditEvent
from kehu.development import services
from kehu.development.models import Opportunity
from tests.conftest import login
from tests.development.conftest import qualify_all

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deal(org, leads):
    qualify_all(leads.north, org.alice)
    services.lead_convert(lead=leads.north, by=org.alice)
    return Opportunity.objects.get(lead=leads.north)


def test_board_markup_for_dragging(client, org, deal):
    page = login(client, org.alice).get(reverse("development:pipeline")).content.decode()
    move = reverse("development:opportunity_move", args=[deal.pk])
    assert f'data-move-url="{move}"' in page and 'draggable="true"' in page
    assert 'data-stage="proposal"' in page and "development/board.js" in page
    page = login(client, org.ana).get(reverse("development:pipeline")).content.decode()
    assert 'draggable="true"' not in page


def test_drop_moves_and_returns_the_board(client, org, deal):
    r = login(client, org.alice).post(
        reverse("development:opportunity_move", args=[deal.pk]), {"stage": "proposal"}, **HTMX
    )
    assert r.status_code == 200
    assert b'id="stage-proposal"' in r.content and b"<html" not in r.content
    deal.refresh_from_db()
    assert deal.stage == "proposal"


@pytest.mark.parametrize("who,status", [("charlie", 404), ("ana", 403), ("quinn", 403)])
def test_refused_drop_changes_nothing(client, org, deal, who, status):
    before = list(Opportunity.objects.values())
    events = list(AuditEvent.objects.values_list("id", flat=True))
    r = login(client, getattr(org, who)).post(
        reverse("development:opportunity_move", args=[deal.pk]), {"stage": "negotiation"}, **HTMX
    )
    assert r.status_code == status
    assert list(Opportunity.objects.values()) == before
    assert list(AuditEvent.objects.values_list("id", flat=True)) == events
