"""The retention policy is data with versions: the default follows the seed's rule, each
edit writes a new version (audited) and never changes an old one, a task keeps the version
that made it, and a bad policy is refused naming what is wrong, with nothing written."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kehu.core.models import AuditEvent
from kehu.retention import policy, services
from kehu.retention.models import ImmutableError, PolicyVersion, Task
from tests.retention.factories import scored

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 12, 1)


def test_default_follows_the_seed(org):
    v1 = services.current_policy()
    assert v1.number == 1
    assert v1.playbook_for("key", "high") == "all_costs"
    assert v1.playbook_for("major", "medium") == "try_hard"
    assert v1.playbook_for("ordinary", "high") == "as_chances"
    assert not policy.pursued(v1.playbooks[v1.playbook_for("small", "high")])
    steps = [s["kind"] for s in v1.playbooks["all_costs"]["steps"]]
    assert steps == ["call", "visit", "offer"]


def test_edit_makes_a_new_audited_version_and_tasks_keep_theirs(org):
    scored(org, tier="key", band="high")
    services.generate_tasks(as_of=AS_OF, by=org.root, use_triggers=False)
    v1 = services.current_policy()
    books = copy.deepcopy(v1.playbooks)
    books["all_costs"]["steps"][0]["within_days"] = 1
    v2 = services.policy_save(playbooks=books, cells=v1.cells, note="faster call", by=org.root)
    assert v2.number == 2
    assert services.current_policy() == v2
    v1.refresh_from_db()
    assert v1.playbooks["all_costs"]["steps"][0]["within_days"] == 2
    assert Task.objects.get().policy_version == v1
    event = AuditEvent.objects.get(model="retention.policyversion", object_id=str(v2.pk))
    assert event.user == org.root and event.action == "create"


def test_old_versions_cannot_be_changed_or_deleted(org):
    v1 = services.current_policy()
    v1.note = "rewritten"
    with pytest.raises(ImmutableError):
        v1.save()
    with pytest.raises(ImmutableError):
        v1.delete()
    assert PolicyVersion.objects.get().note == "default policy"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b, c: b["try_hard"]["steps"].append({"kind": "fly"}), "step 3: unknown kind"),
        (lambda b, c: b["try_hard"].update(control_share=0.9), "control share"),
        (lambda b, c: c["key"].update(high="nowhere"), "no playbook 'nowhere'"),
        (lambda b, c: c.update(giant={"high": "try_hard"}), "Unknown tier 'giant'"),
        (lambda b, c: b["try_hard"]["steps"][1].update(budget="lots"), "budget"),
    ],
)
def test_bad_policy_is_refused_with_nothing_written(org, change, message):
    v1 = services.current_policy()
    books, cells = copy.deepcopy(v1.playbooks), copy.deepcopy(v1.cells)
    change(books, cells)
    with pytest.raises(ValidationError) as error:
        services.policy_save(playbooks=books, cells=cells, by=org.root)
    assert message in " ".join(error.value.messages)
    assert PolicyVersion.objects.count() == 1
