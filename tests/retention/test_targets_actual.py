"""Targets page numbers (D6): each rep's and team's actual, month to date, against a
hand-computed fixture — retention rate of the book, tasks done on time, customers won back,
value at risk resolved — and the target beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kehu.customers.models import Channel
from kehu.retention import selectors_targets as sel
from kehu.retention import services, services_targets
from kehu.retention.models import ExitReason, Task
from kehu.sales.models import Order
from tests.conftest import login
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
JUNE = dt.date(2025, 6, 1)
TODAY = dt.date(2025, 6, 20)


def _order(customer, on):
    Order.objects.create(
        customer=customer, number=f"o-{customer.pk}-{on}", ordered_on=on,
        channel=Channel.STORE, amount=Decimal(100),
    )  # fmt: skip


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _task(org, customer, due, *, done=None, outcome="", priority=0.0, status="open"):
    task = Task.objects.create(
        customer=customer, kind=Task.Kind.RETENTION, title="call", due_on=due,
        assigned_to=org.alice, priority=priority, status=status,
    )  # fmt: skip
    if done:
        services.complete_task(task=task, outcome=outcome, by=org.alice, at=_at(done))
    return task


@pytest.fixture
def june(org):
    c1, c2, c3, c4, c5 = scored(org, n=5, owner=org.alice, tier="major")
    for c in (c1, c2, c3, c5):
        _order(c, dt.date(2025, 3, 1))  # c4 never bought: not in the book
    services.record_exit(  # c3 leaves in June: 1 of a book of 3
        customer=c3, by=org.alice, exit=services.ExitInput(reason="price"),
        left_on=dt.date(2025, 6, 10),
    )  # fmt: skip
    # c5 left in May (out of June's book) and came back in June: won back in June.
    gone = services.record_exit(
        customer=c5, by=org.alice, exit=services.ExitInput(reason="moved"),
        left_on=dt.date(2025, 5, 15),
    )  # fmt: skip
    ExitReason.objects.filter(pk=gone.pk).update(won_back_on=dt.date(2025, 6, 12))
    (b1,) = scored(org, owner=org.bob, tier="ordinary")
    _order(b1, dt.date(2025, 4, 1))
    _task(org, c1, dt.date(2025, 6, 5), done=dt.date(2025, 6, 4), outcome="saved", priority=1200)
    _task(org, c2, dt.date(2025, 6, 8), done=dt.date(2025, 6, 12), outcome="saved", priority=300)
    _task(org, c4, dt.date(2025, 6, 15))  # open, overdue: due, not done
    _task(org, c4, dt.date(2025, 6, 3), status="cancelled")  # cancelled: not counted
    _task(org, c2, dt.date(2025, 6, 25))  # due after today: not yet counted
    return org


def _line(lines, key):
    return next(ln for ln in lines if ln.key == key)


def test_actual_per_rep_team_and_company(june):
    org = june
    lines = sel.board(user=org.root, month=JUNE, today=TODAY)
    alice = _line(lines, f"user:{org.alice.pk}").actual
    assert alice == {
        "retention_rate": round(100 * 2 / 3, 1),
        "on_time": round(100 * 1 / 3, 1),
        "won_back": 1,
        "resolved": 1500.0,
    }
    bob = _line(lines, f"user:{org.bob.pk}").actual
    assert bob == {"retention_rate": 100.0, "on_time": None, "won_back": 0, "resolved": 0.0}
    # The team's rate from counts (3 of 4 kept), not the mean of its reps' rates.
    north = _line(lines, f"team:{org.north.pk}").actual
    assert north["retention_rate"] == 75.0 and north["won_back"] == 1
    assert _line(lines, "all").actual["retention_rate"] == 75.0


def test_target_beside_the_actual_and_met_or_behind(june):
    org = june
    services_targets.target_set(
        month=dt.date(2025, 6, 17), metric="retention_rate", value="90", user=org.alice, by=org.mia
    )
    services_targets.target_set(
        month=JUNE, metric="won_back", value="1", team=org.north, by=org.root
    )
    lines = sel.board(user=org.root, month=JUNE, today=TODAY)
    cells = {m: (a, g, met) for m, a, g, met in _line(lines, f"user:{org.alice.pk}").cells()}
    assert cells["retention_rate"] == (66.7, Decimal("90.00"), False)
    north = {m: met for m, _a, _g, met in _line(lines, f"team:{org.north.pk}").cells()}
    assert north["won_back"] is True and north["on_time"] is None


def test_trend_gives_each_month_actual_and_target(june):
    org = june
    services_targets.target_set(
        month=JUNE, metric="on_time", value="80", user=org.alice, by=org.root
    )
    lines = sel.board(user=org.alice, month=JUNE, today=TODAY)
    assert [ln.key for ln in lines] == [f"user:{org.alice.pk}"]  # a rep sees their own line
    series = sel.trend(user=org.alice, line=lines[0], month=JUNE, today=TODAY, months=3)
    assert series["months"] == ["2025-04", "2025-05", "2025-06"]
    assert series["actual"]["on_time"] == [None, None, round(100 / 3, 1)]
    assert series["target"]["on_time"] == [None, None, 80.0]


def test_page_shows_the_lines_month_to_date(june, client):
    org = june
    login(client, org.mia)
    response = client.get("/retention/targets/?month=2025-06")
    assert response.status_code == 200
    keys = [ln.key for ln in response.context["lines"]]
    # Mia manages North: her team and its reps, not South's charlie, no company line.
    assert keys == [f"team:{org.north.pk}", f"user:{org.alice.pk}", f"user:{org.bob.pk}"]
