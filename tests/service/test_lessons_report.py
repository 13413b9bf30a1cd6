"""The lessons report (E4): complaints by category and month with their root causes and the
latest corrective action, a drill-down to the tickets behind a figure, and who may read it
(report roles and service agents; reps and partner users 403)."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.service import lessons, measures, services
from tests.conftest import login
from tests.service.helpers import at, ticket

MARCH_APRIL = measures.Period(dt.date(2025, 3, 1), 2)
READ = {"alice": 403, "bob": 403, "charlie": 403, "mia": 200, "sam": 200, "ana": 200,
        "pat": 403, "quinn": 403, "root": 200}  # fmt: skip


def complaints(org):
    def complaint(when, category, cause="", action=""):
        t = ticket(org, kind="complaint", now=when, category=category, assignee=org.sam)
        if cause:
            services.ticket_resolve(ticket=t, by=org.sam, resolution="已赔付", root_cause=cause,
                                    corrective_action=action, now=at(when) + dt.timedelta(hours=1))  # fmt: skip
        return t

    complaint("2025-03-03 09:00", "送货", "快递延误", "更换快递公司")
    complaint("2025-03-10 09:00", "送货", "快递延误", "与快递签订时效条款")
    complaint("2025-04-02 09:00", "送货", "包装破损", "加厚包装")
    complaint("2025-04-03 09:00", "质量")
    ticket(org, kind="question", now="2025-03-04 09:00", category="送货")  # not a complaint


def test_categories_by_month_with_causes_and_latest_action(org):
    complaints(org)
    report = lessons.lessons(user=org.root, period=MARCH_APRIL)
    assert report.total == 4 and report.month_totals == [2, 2]
    delivery, quality = report.categories
    assert (delivery.category, delivery.by_month, delivery.total) == ("送货", [2, 1], 3)
    assert (quality.category, quality.by_month) == ("质量", [0, 1])
    late = delivery.causes[0]
    assert (late.root_cause, late.count, late.resolved) == ("快递延误", 2, 2)
    assert late.corrective_action == "与快递签订时效条款"
    assert [c.root_cause for c in quality.causes] == [""]
    assert report.without_cause == 1


def test_drill_down_lists_the_tickets_behind_a_figure(client, org):
    complaints(org)
    c = login(client, org.sam)
    html = c.get("/service/lessons/?months=24&category=送货&cause=快递延误").content.decode()
    assert html.count('data-ticket="') == 2 and "与快递签订时效条款" in html
    march = lessons.drill(user=org.sam, period=MARCH_APRIL, category="送货",
                          month=dt.date(2025, 4, 1))  # fmt: skip
    assert [t.root_cause for t in march] == ["包装破损"]


@pytest.mark.parametrize("persona,status", READ.items())
def test_who_may_read(client, org, persona, status):
    complaints(org)
    response = login(client, getattr(org, persona)).get("/service/lessons/?months=24")
    assert response.status_code == status
    if status == 403:
        assert lessons.lessons(user=getattr(org, persona), period=MARCH_APRIL).total == 0


def test_bad_month_is_400(client, org):
    assert login(client, org.root).get("/service/lessons/?month=2025-13").status_code == 400
