"""The contract's renewal is a due item on the owner's Today list from (end − reminder
days), with an explicit today; the owner is told when the contract is recorded and once more
when the reminder falls due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from kehu.core.duelist import due_items
from kehu.dealers import services
from kehu.notifications.models import Notification

from .conftest import to_approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(org, dealer, media):
    ob = to_approval(services.start(customer=dealer, by=org.alice), org.mia)
    return services.approve(onboarding=ob, by=org.mia)


def _dealer_items(user, today, scope="mine"):
    return [i for i in due_items(user=user, today=today, scope=scope) if i.source == "dealers"]


def test_due_from_thirty_days_before_the_end(org, approved):
    assert approved.renewal_due_on == dt.date(2027, 5, 31)
    assert _dealer_items(org.alice, dt.date(2027, 5, 30)) == []
    [item] = _dealer_items(org.alice, dt.date(2027, 5, 31))
    assert item.customer_id == approved.customer_id and item.due == dt.date(2027, 5, 31)
    # Overdue stays on the list; the manager sees it for the team; another rep does not.
    assert _dealer_items(org.alice, dt.date(2027, 7, 2))[0].overdue_on(dt.date(2027, 7, 2))
    assert len(_dealer_items(org.mia, dt.date(2027, 6, 1), scope="team")) == 1
    assert _dealer_items(org.charlie, dt.date(2027, 6, 1), scope="team") == []


def test_owner_is_told_at_contract_and_once_at_renewal(org, approved):
    kinds = list(Notification.objects.filter(recipient=org.alice).values_list("kind", flat=True))
    assert kinds == ["dealer_contract"]
    assert services.remind_renewals(today=dt.date(2027, 5, 30)) == 0
    call_command("dealer_renewals", "--today", "2027-05-31")
    assert services.remind_renewals(today=dt.date(2027, 6, 1)) == 0
    assert Notification.objects.filter(recipient=org.alice, kind="dealer_renewal").count() == 1
