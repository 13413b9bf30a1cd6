"""A spread of churn scores for the rollup tests: three teams (North and South of the ``org``
fixture and East), two regions (East's own, and one set on single customers), every RFM
segment used here, all bands, complete and partial churners, unscored customers and missing
values at risk, two succeeded runs, one archived customer, and one North customer owned by
charlie (so charlie sees part of North: not expressible by the rollup)."""

from __future__ import annotations

from types import SimpleNamespace

from kehu.core.models import Region, Team
from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.insights import churn_rollup
from tests.insights.churn_helpers import (
    AS_OF,
    CONTRACT,
    OVERDUE,
    PREVIOUS,
    SLOWING,
    SPEND_DOWN,
    make_run,
    score,
)

SEGMENTS = ["at_risk", "loyal", "champions", "cant_lose", ""]
CHURN_TYPES = ["complete", "partial", "", ""]
REASON_SETS = [[OVERDUE, SPEND_DOWN, SLOWING], [SLOWING], [CONTRACT, OVERDUE], [], [SPEND_DOWN]]


def band_of(p: float | None) -> str:
    if p is None:
        return ""
    return "high" if p >= 0.5 else "medium" if p >= 0.25 else "low"


def spread(org, *, build: bool = True) -> SimpleNamespace:
    west, east_region = Region.objects.create(name="West"), Region.objects.create(name="East")
    east = Team.objects.create(name="East", region=east_region)
    org.south.region = west
    org.south.save()
    owners = [(org.alice, None), (org.bob, None), (org.charlie, None), (org.root, east)]
    customers = []
    for i in range(36):
        owner, team = owners[i % 4]
        fields = {"team": team} if team else {}
        if i % 7 == 3:
            fields["region"] = east_region  # a customer's own region beats its team's
        customers.append(
            customer_services.customer_create(by=owner, owner=owner, name=f"C{i}", **fields)
        )
    # charlie owns one North customer: he then sees North only in part.
    customer_services.customer_create(by=org.charlie, owner=org.charlie, name="Odd", team=org.north)
    customers.append(Customer.objects.get(name="Odd"))
    runs = [make_run(PREVIOUS), make_run(AS_OF)]
    for r, run in enumerate(runs):
        for i, customer in enumerate(customers):
            p = None if i % 9 == 5 else round(((i * 37 + r * 11) % 100) / 100, 2)
            score(
                run,
                customer,
                p=p,
                band=band_of(p),
                value=None if i % 5 == 2 else float(100 * i + r),
                reasons=REASON_SETS[(i + r) % len(REASON_SETS)] if p is not None else [],
                segment=SEGMENTS[(i + 2 * r) % len(SEGMENTS)],
                churn_type=CHURN_TYPES[(i + r) % len(CHURN_TYPES)],
            )
    Customer.objects.filter(pk=customers[6].pk).update(is_archived=True)
    if build:
        for run in runs:
            churn_rollup.build(run)
    return SimpleNamespace(
        runs=runs, previous=runs[0], run=runs[1], east=east, west=west, east_region=east_region
    )
