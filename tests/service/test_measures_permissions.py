"""Who sees the service measures (``measures.scope``): administrators, managers and
analysts every ticket they may see; a service agent their own and their team's; reps and
partner users nothing (403). Exporting needs ``export``. A manager's figures leave out the
tickets of customers outside their teams."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.models import AuditEvent, Role
from kehu.customers import services as customer_services
from kehu.service import measures
from kehu.service.models import Ticket
from tests.conftest import login, make_user
from tests.service.helpers import ticket
from tests.service.measures_data import march

PAGE = {"alice": 403, "bob": 403, "charlie": 403, "mia": 200, "sam": 200, "ana": 200,
        "pat": 403, "quinn": 403, "root": 200}  # fmt: skip
EXPORT = {"alice": 403, "bob": 403, "charlie": 403, "mia": 200, "sam": 403, "ana": 200,
          "pat": 403, "quinn": 403, "root": 200}  # fmt: skip
MARCH = measures.Period(dt.date(2025, 3, 1), 1)


@pytest.mark.parametrize("persona,status", PAGE.items())
def test_page(client, org, persona, status):
    response = login(client, getattr(org, persona)).get("/service/measures/?by=team")
    assert response.status_code == status


@pytest.mark.parametrize("persona,status", EXPORT.items())
def test_export(client, org, persona, status):
    march(org)
    tickets, audit = Ticket.objects.count(), AuditEvent.objects.count()
    c = login(client, getattr(org, persona))
    assert c.get("/service/measures/export.csv").status_code == status
    assert c.get("/service/measures/export.xlsx?by=agent").status_code == status
    assert (Ticket.objects.count(), AuditEvent.objects.count()) == (tickets, audit)


def _opened(user, by=""):
    return sum(r.opened for r in measures.measures(user=user, period=MARCH, by=by).totals)


def test_a_manager_sees_only_their_teams_customers(org):
    south = customer_services.customer_create(by=org.charlie, owner=org.charlie, name="李娜")
    march(org)  # 5 tickets of alice's customer (North)
    ticket(org, customer=south, now="2025-03-03 10:00", assignee=org.sam)
    assert _opened(org.root) == 6
    assert _opened(org.ana) == 6
    assert _opened(org.mia) == 5


def test_an_agent_sees_their_own_and_their_teams(org):
    sue = make_user("sue", Role.SERVICE, team=org.south)
    tom = make_user("tom", Role.SERVICE, team=org.south)
    march(org, agent=org.sam)  # 5 tickets, sam's (no team)
    ticket(org, now="2025-03-03 10:00", assignee=sue)
    ticket(org, now="2025-03-03 11:00", assignee=tom)
    assert _opened(org.sam) == 5
    assert _opened(sue) == 2  # her own and her teammate tom's (team South)
    assert {t.label for t in measures.measures(user=sue, period=MARCH, by="agent").totals} == {
        "sue", "tom"}  # fmt: skip
    assert _opened(org.root) == 7


def test_refused_roles_get_no_figures_from_the_selector_either(org):
    march(org)
    assert _opened(org.alice) == 0
    assert _opened(org.pat) == 0
