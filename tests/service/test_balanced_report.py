"""The balanced report over March 2025: satisfaction, retention, handling time and
first-contact resolution side by side, checked against hand-computed figures and the tier's
targets (tests/service/measures_data.py has the tickets)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.insights import selectors_balanced as B
from kehu.service import measures
from kehu.service.models import Call, TierTarget
from kehu.surveys.models import Response, Survey
from tests.insights.churn_helpers import make_run, score
from tests.service.helpers import at
from tests.service.measures_data import march

MARCH = measures.Period(dt.date(2025, 3, 1), 1)


def fixture(org):
    Customer.objects.filter(pk=org.customer.pk).update(tier="major")
    org.customer.refresh_from_db()
    march(org)  # FCR 1 of 3 resolved, all in time
    for n, seconds in ((1, 120), (2, 300)):  # 3.5 minutes on average
        Call.objects.create(call_id=f"c{n}", caller="1", customer=org.customer, agent=org.sam,
                            started_at=at("2025-03-03 10:00"), duration_seconds=seconds)  # fmt: skip
    survey = Survey.objects.create(kind="csat_ticket", name_en="CSAT", name_zh="满意度")
    for s in (5, 4, 2):  # 2 of 3 satisfied
        Response.objects.create(survey=survey, kind="csat_ticket", customer=org.customer,
                                score=s, answered_at=at("2025-03-12 10:00"), source="link",
                                tier=org.customer.tier)  # fmt: skip
    others = [customer_services.customer_create(by=org.alice, owner=org.alice, name=f"客户{i}")
              for i in range(3)]  # fmt: skip
    early = make_run(dt.date(2025, 3, 10))
    for c in [org.customer, *others]:
        score(early, c, p=0.9, band="high", value=1, churn_type="complete")
    # The month's last run counts: 1 of 4 in complete churn → 75 % retained.
    last = make_run(dt.date(2025, 3, 31))
    for i, c in enumerate([org.customer, *others]):
        score(last, c, p=0.1, band="low", value=1, churn_type="complete" if i == 3 else "")


def test_the_month_side_by_side(org):
    fixture(org)
    report = B.balanced(user=org.root, period=MARCH)
    [m] = report.months
    assert m.csat_pct == 66.7
    assert m.retention_pct == 75.0 and m.scored_customers == 4
    assert m.handling_minutes == 3.5
    assert m.fcr_pct == 33.3
    assert m.sla_pct == 100.0
    assert report.has_surveys and report.has_retention


def test_a_tier_is_judged_against_its_targets(org):
    fixture(org)
    tier = "major"
    TierTarget.objects.create(tier=tier, fcr_pct=Decimal("50"), handling_minutes=Decimal("4"),
                              retention_pct=Decimal("90"), csat_pct=Decimal("60"))  # fmt: skip
    report = B.balanced(user=org.root, period=MARCH, tier=tier)
    [m] = report.months
    assert m.fcr_pct == 33.3
    assert report.verdict(m, "fcr_pct") == "missed"
    assert report.verdict(m, "handling_minutes") == "met"  # lower is better
    assert report.verdict(m, "csat_pct") == "met"
    assert report.verdict(m, "nps") == ""  # no target, no answers
    # Retention of this tier's customers only: org.customer, still buying.
    assert (m.retention_pct, m.scored_customers) == (100.0, 1)
    assert report.verdict(m, "retention_pct") == "met"


def test_another_tier_has_none_of_these_tickets(org):
    fixture(org)
    other = "key"
    [m] = B.balanced(user=org.root, period=MARCH, tier=other).months
    assert (m.fcr_pct, m.handling_minutes, m.csat_pct, m.retention_pct) == (None, None, None, None)
