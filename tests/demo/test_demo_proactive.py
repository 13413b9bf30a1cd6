"""The demo's proactive suggestions (issue #13, E9): the nightly run as of the demo's day
finds work of every kind, and the service agent's call list and suggestions page have it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from kehu.service import calllist, proactive
from kehu.service.models import ProactiveSuggestion

AS_OF = dt.date(2025, 6, 30)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "demo", customers=1500, seed=5, as_of=AS_OF, stdout=StringIO(), stderr=StringIO()
        )
        yield
        transaction.set_rollback(True)


def test_every_kind_is_found(demo):
    kinds = set(ProactiveSuggestion.objects.values_list("kind", flat=True))
    assert kinds == set(ProactiveSuggestion.Kind.values)
    assert not ProactiveSuggestion.objects.exclude(status="open").exists()


def test_the_agent_has_calls_to_make(demo):
    agent = get_user_model().objects.get(username="service")
    assert proactive.open_for(agent).exists()
    rows = calllist.call_list(user=agent, today=AS_OF)
    assert rows and all(r.reasons for r in rows)
    assert [r.priority for r in rows] == sorted((r.priority for r in rows), reverse=True)
