"""The demo's year of retention history: one playbook whose lift is clearly positive and one
whose interval includes zero, as the results page's own selector reads them from the stored
data; tasks done on time, late and still overdue; exit reasons with failure analyses;
win-backs with revenue regained; the pilot's policy versions."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from kehu.retention import selectors
from kehu.retention.models import ControlAssignment, ExitReason, PolicyVersion, Task

AS_OF = dt.date(2025, 6, 30)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def admin(django_db_setup, django_db_blocker):
    """The default demo (2,000 customers, seed 42), built once for the module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", customers=2000, seed=42, as_of=AS_OF, stdout=StringIO(),
                     stderr=StringIO(), verbosity=0)  # fmt: skip
        yield get_user_model().objects.get(username="admin")
        transaction.set_rollback(True)


def test_one_playbook_clearly_positive_and_one_interval_including_zero(admin):
    groups = {group for group, _name, _n in selectors.groups(user=admin)}
    assert {"playbook:as_chances", "playbook:try_hard"} <= groups
    works = selectors.results(user=admin, group="playbook:as_chances")
    shrug = selectors.results(user=admin, group="playbook:try_hard")
    for result in (works, shrug):
        assert result.error == ""
        assert result.n_control >= 40 and result.n_treated >= 100
    retained = works.metrics["retained"]
    assert retained.ci_low is not None and retained.ci_low > 0.03  # clearly positive
    assert not retained.includes_zero and works.customers_saved and works.customers_saved > 10
    assert shrug.metrics["retained"].includes_zero


def test_control_groups_are_recorded_in_the_past_with_the_pilot_share(admin):
    rows = ControlAssignment.objects.filter(group="playbook:as_chances")
    assert rows.filter(assigned_on__lt=AS_OF - dt.timedelta(days=300)).exists()
    share = rows.filter(is_control=True).count() / rows.count()
    assert 0.25 < share < 0.35
    # The pilot's version made them; the version in force holds back the default tenth.
    assert set(rows.values_list("policy_version__note", flat=True)) == {"试点年：对照组三成"}
    latest = PolicyVersion.objects.order_by("-number").first()
    assert latest.playbooks["as_chances"]["control_share"] == 0.1
    # Controlled customers got no task from the playbook.
    held = rows.filter(is_control=True).values("customer_id")
    assert not Task.objects.filter(playbook="as_chances", customer_id__in=held).exists()


def test_tasks_done_on_time_late_and_missed(admin):
    done = Task.objects.filter(kind="retention", status="done")
    on_time = done.filter(done_at__date__lte=F("due_on")).count()
    late = done.filter(done_at__date__gt=F("due_on")).count()
    overdue = Task.objects.filter(kind="retention", status="open", due_on__lt=AS_OF).count()
    assert on_time > 5 * late > 0 and overdue > 0
    assert set(done.values_list("outcome", flat=True)) == {"saved", "not_reached", "left"}
    # Every contact is on the timeline, when it happened.
    task = done.order_by("done_at").first()
    assert task.customer.interactions.filter(occurred_at=task.done_at).exists()


def test_exit_reasons_with_analyses_and_win_backs_with_revenue(admin):
    exits = ExitReason.objects.all()
    assert len(set(exits.values_list("reason", flat=True))) >= 6
    assert exits.exclude(what_we_change="").count() > exits.count() // 3
    assert all(e.left_on <= AS_OF for e in exits)
    report = selectors.exit_reasons(user=admin, by="tier")
    assert sum(sum(row.values()) for row in report["rows"].values()) == exits.count()
    rows = selectors.win_back(user=admin)
    won = [r for r in rows if r["won_back"]]
    assert won and all(r["record"].revenue_regained > 0 for r in won)
    assert any(not r["won_back"] for r in rows)
    assert Task.objects.filter(kind="win_back", status="open").exists()
