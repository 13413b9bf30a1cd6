"""The demo's dealers (issue #14, F8): two in every onboarding state, approved ones are
channel partners whose user sees only the customers shared with them, and one contract's
renewal is due on the owner's Today list on the demo's day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from kehu.core.duelist import due_items
from kehu.core.models import Role
from kehu.core.permissions import visible_customers
from kehu.dealers.models import Onboarding

AS_OF = dt.date(2025, 6, 30)
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "demo", customers=400, seed=3, as_of=AS_OF, stdout=StringIO(), stderr=StringIO()
        )
        yield media
        transaction.set_rollback(True)


def test_two_dealers_in_every_state(demo):
    states = Counter(Onboarding.objects.values_list("state", flat=True))
    assert states == {state: 2 for state in Onboarding.State.values}


def test_approved_dealers_are_partners_whose_users_see_only_shared(demo):
    for ob in Onboarding.objects.filter(state="approved").select_related("partner"):
        [profile] = ob.partner.users.select_related("user")
        assert profile.role == Role.PARTNER
        seen = set(visible_customers(profile.user).values_list("pk", flat=True))
        shared = set(ob.partner.shares.values_list("customer_id", flat=True))
        assert seen and seen == shared
        assert ob.customer_id not in seen


def test_a_renewal_is_due_on_the_demo_day(demo):
    due = Onboarding.objects.filter(state="approved", renewal_due_on__lte=AS_OF)
    assert due.count() == 1
    ob = due.get()
    items = [i for i in due_items(user=ob.owner, today=AS_OF) if i.source == "dealers"]
    assert [i.customer_id for i in items] == [ob.customer_id]
