"""Who may see the targets page and set targets, per persona; refusals change nothing (the
targets and the audit log stay as they were)."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.retention.models import Target
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "status"), [
    ("root", 200), ("mia", 200), ("ana", 200), ("alice", 200), ("charlie", 200),
    ("sam", 403), ("pat", 403), ("quinn", 403),
])  # fmt: skip
def test_targets_page(org, client, persona, status):
    assert login(client, getattr(org, persona)).get("/retention/targets/").status_code == status


def test_a_rep_sees_only_their_own_line_and_no_form(org, client):
    response = login(client, org.alice).get("/retention/targets/")
    assert [ln.key for ln in response.context["lines"]] == [f"user:{org.alice.pk}"]
    assert not response.context["may_edit"]
    assert b'id="target-form"' not in response.content


def _post(client, user, line, value="90"):
    data = {"month": "2025-06", "line": line, "metric": "retention_rate", "value": value}
    return login(client, user).post("/retention/targets/set/", data)


@pytest.mark.parametrize(("persona", "line", "allowed"), [
    ("root", "all", True), ("root", "team:south", True), ("root", "user:charlie", True),
    ("mia", "team:north", True), ("mia", "user:alice", True),
    ("mia", "team:south", False), ("mia", "user:charlie", False), ("mia", "all", False),
    ("ana", "team:north", False), ("alice", "user:alice", False), ("sam", "all", False),
    ("pat", "team:north", False),
])  # fmt: skip
def test_who_sets_which_target(org, client, persona, line, allowed):
    kind, _sep, name = line.partition(":")
    key = line if not name else f"{kind}:{getattr(org, name).pk}"
    events = AuditEvent.objects.count()
    response = _post(client, getattr(org, persona), key)
    if allowed:
        assert response.status_code == 302
        target = Target.objects.get()
        assert target.value == 90 and target.set_by == getattr(org, persona)
        assert AuditEvent.objects.count() > events
    else:
        assert response.status_code == 403
        assert not Target.objects.exists()
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("field", "value", "line"), [
    ("Target", "lots", "all"), ("Target", "120", "all"), ("Target", "-1", "all"),
    ("For", "90", "team:999999"), ("For", "90", "nobody"),
])  # fmt: skip
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(org, client, field, value, line):
    events = AuditEvent.objects.count()
    client.cookies["django_language"] = "en"
    response = _post(client, org.root, line, value)
    assert response.status_code == 400
    assert f"{field}: " in response.content.decode()
    assert not Target.objects.exists() and AuditEvent.objects.count() == events


def test_setting_again_replaces_the_value(org, client):
    _post(client, org.root, "all", "80")
    _post(client, org.root, "all", "85.5")
    assert list(Target.objects.values_list("value", flat=True)) == [85.5]
