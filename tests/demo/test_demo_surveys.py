"""The demo's surveys (issue #13): CSAT on resolved tickets and after orders, NPS, invitations
with some unanswered, and the satisfaction → loyalty shape found by the curve's own selector
in the stored data: 5s stay and rebuy far more than 4s, 4s more than 1-3s."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from kehu.analytics.satisfaction import as_table, satisfaction_curve
from kehu.core.models import Role
from kehu.surveys import selectors
from kehu.surveys.models import Invitation, Response

AS_OF = dt.date(2025, 6, 30)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "demo", customers=600, seed=5, as_of=AS_OF, stdout=StringIO(), stderr=StringIO()
        )
        yield
        transaction.set_rollback(True)


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(profile__role=Role.ADMIN).first() or (
        get_user_model().objects.filter(is_superuser=True).first()
    )


def test_answers_of_every_kind_in_range(demo):
    kinds = set(Response.objects.values_list("kind", flat=True))
    assert kinds == {"csat_ticket", "csat_order", "nps"}
    for kind, (low, high) in (("csat_ticket", (1, 5)), ("csat_order", (1, 5)), ("nps", (0, 10))):
        scores = set(Response.objects.filter(kind=kind).values_list("score", flat=True))
        assert scores <= set(range(low, high + 1)) and len(scores) > 3, kind
    # Every answer has its invitation, used; some invitations were never answered.
    assert not Response.objects.filter(invitation__isnull=True).exists()
    assert not Invitation.objects.filter(response__isnull=False, used_at__isnull=True).exists()
    unanswered = Invitation.objects.filter(used_at__isnull=True).count()
    assert 0.2 < unanswered / Invitation.objects.count() < 0.6
    assert not Response.objects.filter(answered_at__date__gt=AS_OF).exists()


def test_satisfaction_loyalty_shape(demo):
    rows = selectors.loyalty_table(_admin(), today=AS_OF)
    curve = {r["score"]: r for r in as_table(satisfaction_curve(rows))}
    low = [r for s, r in curve.items() if s <= 3]
    low_customers = sum(r["customers"] for r in low)
    low_retained = sum(r["retained"] for r in low) / low_customers
    low_rebought = sum(r["repurchased"] for r in low) / low_customers
    five, four = curve[5], curve[4]
    assert five["customers"] > 30 and four["customers"] > 30 and low_customers > 30
    # Far more among the completely satisfied, a little more among the satisfied.
    assert five["retention_pct"] > four["retention_pct"] + 15
    assert four["retention_pct"] > 100 * low_retained
    assert five["repeat_pct"] > four["repeat_pct"] + 10
    assert four["repeat_pct"] > 100 * low_rebought
