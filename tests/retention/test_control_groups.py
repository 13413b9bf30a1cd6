"""Control groups (D7): deterministic (same seed, same groups, whatever the order), the share
holds within each stratum (tier × band), recorded when assigned and never changed; held-back
customers get no task."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kehu.retention import control, services
from kehu.retention.models import ControlAssignment, ImmutableError, Task
from tests.retention.factories import bulk_scored

AS_OF = dt.date(2026, 12, 1)


def test_same_seed_same_groups_in_any_order():
    entering = [(i, "key|high" if i % 3 else "major|medium") for i in range(1, 3001)]
    first = control.assign(seed="s", group="playbook:x", share=0.1, entering=entering)
    again = control.assign(seed="s", group="playbook:x", share=0.1, entering=entering[::-1])
    other = control.assign(seed="t", group="playbook:x", share=0.1, entering=entering)
    assert first == again
    assert first != other


def test_share_holds_in_every_stratum_also_when_customers_arrive_in_batches():
    held: dict[str, tuple[int, int]] = {}
    result: dict[int, bool] = {}
    strata = ["key|high", "key|medium", "major|high", "ordinary|medium"]
    for night in range(5):
        entering = [(night * 1000 + i, strata[i % 4]) for i in range(1, 1000 - 37 * night)]
        decided = control.assign(seed="s", group="g", share=0.1, entering=entering, held=held)
        result.update(decided)
        for cid, is_control in decided.items():
            n, c = held.get(strata[cid % 1000 % 4], (0, 0))
            held[strata[cid % 1000 % 4]] = (n + 1, c + int(is_control))
    for stratum, (n, c) in held.items():
        assert abs(c - 0.1 * n) <= 1, stratum


@pytest.mark.django_db
def test_generation_records_controls_who_get_no_task_and_keeps_them(org):
    customers = bulk_scored(n=600)
    services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    assignments = ControlAssignment.objects.all()
    assert assignments.count() == 600
    controls = set(assignments.filter(is_control=True).values_list("customer_id", flat=True))
    tasked = set(Task.objects.values_list("customer_id", flat=True))
    assert controls and not controls & tasked
    assert len(tasked) + len(controls) == len(customers)
    per_stratum = Counter(assignments.filter(is_control=True).values_list("stratum", flat=True))
    sizes = Counter(assignments.values_list("stratum", flat=True))
    for stratum, size in sizes.items():
        assert abs(per_stratum[stratum] - 0.1 * size) <= 1
    # A second night: nobody is drawn again, nothing is rewritten.
    Task.objects.update(status=Task.Status.DONE)
    services.generate_tasks(as_of=AS_OF + dt.timedelta(days=1), by=org.root, use_triggers=False)
    assert (
        set(ControlAssignment.objects.filter(is_control=True).values_list("customer_id", flat=True))
        == controls
    )


@pytest.mark.django_db
def test_an_assignment_cannot_be_changed(org):
    bulk_scored(n=30)
    services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    row = ControlAssignment.objects.filter(is_control=False).first()
    row.is_control = True
    with pytest.raises(ImmutableError):
        row.save()
    with pytest.raises(ImmutableError):
        row.delete()
    assert not ControlAssignment.objects.get(pk=row.pk).is_control
