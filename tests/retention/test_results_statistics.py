"""The results page's figures against hand-computed values: retention rate and revenue per
customer in treated vs control since assignment, the Welch lift with its 95 % interval
(lift ± 1.959963984540054 · sqrt(s1²/n1 + s0²/n0)), customers saved and profit saved net
of the offers' cost; a plain statement when the interval includes zero."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from kehu.customers.models import Channel
from kehu.retention import selectors, services
from kehu.retention.models import ControlAssignment, ExitReason, Task
from kehu.sales.models import Order
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 1)


def _assign(customers, controls):
    for c in customers:
        ControlAssignment.objects.create(
            group="playbook:try_hard", customer=c, stratum="major|high",
            is_control=c in controls, share=0.5, seed="t", assigned_on=AS_OF,
        )  # fmt: skip


def test_lift_matches_hand_computation(org, client):
    services.current_policy()
    customers = scored(org, n=8, tier="major")
    treated, control = customers[:4], customers[4:]
    _assign(customers, control)
    # Treated: 3 of 4 stay; control: 1 of 4 stays.
    for c in [treated[0], *control[:3]]:
        ExitReason.objects.create(customer=c, reason="price", left_on=AS_OF + dt.timedelta(days=3))
    revenue = {treated[1]: 100, treated[2]: 300, control[3]: 100}
    for i, (c, amount) in enumerate(revenue.items()):
        Order.objects.create(
            customer=c, number=f"r{i}", ordered_on=AS_OF + dt.timedelta(days=5),
            channel=Channel.STORE, amount=Decimal(amount), cost=Decimal(amount) / 2,
        )  # fmt: skip
    Order.objects.create(  # before the assignment: not counted
        customer=treated[3], number="old", ordered_on=AS_OF - dt.timedelta(days=5),
        channel=Channel.STORE, amount=Decimal(1000),
    )  # fmt: skip
    Task.objects.create(
        customer=treated[1], title="offer", playbook="try_hard", status="done",
        step_kind="offer", budget=Decimal(40),
    )  # fmt: skip
    result = selectors.results(user=org.root, group="playbook:try_hard")
    r = result.metrics["retained"]
    # Treated [0,1,1,1]: mean .75, var .25; control [0,0,0,1]: mean .25, var .25.
    se = math.sqrt(0.25 / 4 + 0.25 / 4)
    assert r.lift == pytest.approx(0.5)
    assert r.ci_low == pytest.approx(0.5 - 1.959963984540054 * se)
    assert r.ci_high == pytest.approx(0.5 + 1.959963984540054 * se)
    assert r.includes_zero  # 0.5 ± 0.69
    rev = result.metrics["revenue"]
    assert (rev.treated_mean, rev.control_mean) == (100.0, 25.0)
    assert result.customers_saved == pytest.approx(2.0)
    # Profit per customer: treated (50+150)/4 = 50, control 50/4 = 12.5 → 37.5 × 4 − 40.
    assert result.profit_saved == pytest.approx(37.5 * 4 - 40)
    body = login(client, org.mia).get("/retention/results/playbook:try_hard/").content.decode()
    assert 'id="plain-statement"' in body and "includes-zero" in body


def test_manager_results_cover_only_their_customers(org):
    services.current_policy()
    mine = scored(org, n=4, tier="major")
    theirs = scored(org, n=4, tier="major", owner=org.charlie)
    _assign(mine + theirs, mine[2:] + theirs[2:])
    assert selectors.results(user=org.mia, group="playbook:try_hard").n_treated == 2
    assert selectors.results(user=org.root, group="playbook:try_hard").n_treated == 4
