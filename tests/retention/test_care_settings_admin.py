"""Post-purchase care is configured by the administrator in the administration site, through
the same checks as from code: bad steps are refused naming the field and change nothing."""

from __future__ import annotations

import json

import pytest

from kehu.retention import care
from kehu.retention.models import CarePolicy
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _as_site_admin(org):
    # The administration site wants staff status, as the demo's administrator has.
    org.root.is_staff = org.root.is_superuser = True
    org.root.save()
    return org.root


def _post(client, pk, steps, **extra):
    data = {"enabled": "on", "on_first": "on", "large_amount": "5000", "steps": json.dumps(steps)}
    data.update(extra)
    return client.post(f"/admin/retention/carepolicy/{pk}/change/", data)


def test_admin_changes_the_settings(org, client):
    policy = care.load()
    login(client, _as_site_admin(org))
    response = _post(client, policy.pk, [{"step": "confirm", "after_days": 2}])
    assert response.status_code == 302, response.content[:500]
    policy.refresh_from_db()
    assert policy.steps == [{"step": "confirm", "after_days": 2}]
    assert str(policy.large_amount) == "5000.00"


def test_bad_steps_are_refused_and_change_nothing(org, client):
    policy = care.load()
    before = list(CarePolicy.objects.values())
    login(client, _as_site_admin(org))
    response = _post(client, policy.pk, [{"step": "dance", "after_days": 2}])
    assert response.status_code == 200
    assert "steps" in response.content.decode()
    assert list(CarePolicy.objects.values()) == before


def test_others_cannot_open_it(org, client):
    policy = care.load()
    login(client, org.mia)
    assert client.get(f"/admin/retention/carepolicy/{policy.pk}/change/").status_code in (302, 403)
