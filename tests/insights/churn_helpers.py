"""Churn scores made by hand for the risk pages' tests (until the nightly scoring is there, and
so that each test knows exactly what is stored).

``risky(org)`` gives two succeeded runs (2025-05-31, 2025-06-30) and these customers, with the
current run's figures copied onto the customer rows as the run does:

=========  =======  ======  ======  =====  =========================================
name       owner    band    p       value  notes
=========  =======  ======  ======  =====  =========================================
张伟        alice    high    0.72    5000   org.customer, shared with P1; at risk
Bolt       bob      medium  0.35    1000   North; at risk
Chen       charlie  high    0.81    9000   South; at risk (outside North)
Low        alice    low     0.10     100   not at risk: low band
Gone       alice    high    0.90    7000   not at risk: lifecycle lost
Shelved    alice    high    0.88    6000   not at risk: archived
Nothing    alice    high    0.60       0   not at risk: no value at stake
=========  =======  ======  ======  =====  =========================================
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.insights.models import AnalyticsRun, CustomerScore

AS_OF = dt.date(2025, 6, 30)
PREVIOUS = dt.date(2025, 5, 31)

OVERDUE = {"code": "overdue", "params": {"days": 74, "gap": 21}, "contribution": 0.9}
SPEND_DOWN = {"code": "spend_down", "params": {"pct": 60}, "contribution": 0.5}
SLOWING = {
    "code": "slowing",
    "params": {"recent": 1, "before": 4, "window": 90},
    "contribution": 0.4,
}
CONTRACT = {
    "code": "category",
    "params": {"column": "Contract", "value": "Month-to-month"},
    "contribution": 0.7,
}


def make_run(as_of: dt.date) -> AnalyticsRun:
    now = timezone.now()
    return AnalyticsRun.objects.create(
        as_of=as_of, started_at=now, finished_at=now, status=AnalyticsRun.Status.SUCCEEDED
    )


def score(run, customer, *, p, band, value, reasons=(), segment="", change=None, churn_type=""):
    return CustomerScore.objects.create(
        run=run,
        customer=customer,
        churn_model="activity",
        churn_probability=p,
        churn_band=band,
        churn_reasons=list(reasons),
        value_at_risk=value,
        churn_change=change,
        rfm_segment=segment,
        churn_type=churn_type,
    )


def put_on_row(customer, *, p, band, value, **extra) -> None:
    Customer.objects.filter(pk=customer.pk).update(
        churn_probability=p, churn_band=band, value_at_risk=Decimal(value), **extra
    )


ROWS = [
    # key, owner, name, p, band, value, reasons, segment, extra
    ("zhang", "alice", None, 0.72, "high", 5000, [OVERDUE, SPEND_DOWN], "at_risk", {}),
    ("bolt", "bob", "Bolt", 0.35, "medium", 1000, [SLOWING], "loyal", {}),
    ("chen", "charlie", "Chen", 0.81, "high", 9000, [CONTRACT], "cant_lose", {}),
    ("low", "alice", "Low", 0.10, "low", 100, [], "champions", {}),
    ("gone", "alice", "Gone", 0.90, "high", 7000, [OVERDUE], "lost", {"lifecycle_status": "lost"}),
    ("shelved", "alice", "Shelved", 0.88, "high", 6000, [OVERDUE], "at_risk", {}),
    ("nothing", "alice", "Nothing", 0.60, "high", 0, [OVERDUE], "at_risk", {}),
]


def risky(org) -> SimpleNamespace:
    previous, current = make_run(PREVIOUS), make_run(AS_OF)
    made = SimpleNamespace(org=org, previous=previous, run=current)
    for key, owner, name, p, band, value, reasons, segment, extra in ROWS:
        user = getattr(org, owner)
        customer = (
            org.customer
            if name is None
            else customer_services.customer_create(by=user, owner=user, name=name)
        )
        score(previous, customer, p=round(p - 0.2, 2), band="medium", value=value / 2)
        score(
            current,
            customer,
            p=p,
            band=band,
            value=value,
            reasons=reasons,
            segment=segment,
            change=0.2,
        )
        put_on_row(customer, p=p, band=band, value=value, **extra)
        setattr(made, key, customer)
    Customer.objects.filter(pk=made.shelved.pk).update(is_archived=True)
    return made


AT_RISK_VISIBLE = {
    # Who sees which of the at-risk customers (zhang, bolt, chen), most value first.
    "root": ["Chen", "张伟", "Bolt"],
    "mia": ["张伟", "Bolt"],
    "alice": ["张伟", "Bolt"],
    "bob": ["张伟", "Bolt"],
    "charlie": ["Chen"],
    "sam": ["Chen", "张伟", "Bolt"],
    "ana": ["Chen", "张伟", "Bolt"],
    "pat": ["张伟"],
    "quinn": [],
}
