"""The public pool (公海, issue #12): customers whose owner has not followed them up go back to
the pool; reps claim within a limit per day; every move is in the owner history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Customer, Interaction, OwnerHistory

pytestmark = pytest.mark.django_db


def _aged(org, name, days=40):
    c = services.customer_create(by=org.alice, owner=org.alice, name=name)
    old = timezone.now() - dt.timedelta(days=days)
    Customer.objects.filter(pk=c.pk).update(created_at=old)
    OwnerHistory.objects.filter(customer=c).update(started_at=old)
    return c


def test_unfollowed_customers_return_to_the_pool(org, capsys):
    stale = _aged(org, "没跟进")
    followed = _aged(org, "有跟进")
    Interaction.objects.create(
        customer=followed,
        channel="phone",
        subject="call",
        user=org.alice,
        occurred_at=timezone.now() - dt.timedelta(days=3),
    )
    call_command("pool", "release", "--days", "30")
    assert capsys.readouterr().out.strip() == "released 1"
    stale.refresh_from_db()
    followed.refresh_from_db()
    org.customer.refresh_from_db()  # owned since today: not yet due
    assert stale.owner is None and stale.team == org.north
    assert followed.owner == org.alice and org.customer.owner == org.alice
    period = OwnerHistory.objects.get(customer=stale, ended_at__isnull=True)
    assert period.owner is None and period.reason == "pool"
    assert AuditEvent.objects.filter(customer_id=stale.pk, action="reassign").count() == 1


def test_rep_claims_within_the_daily_limit(client, org, settings):
    settings.KEHU_POOL_CLAIMS_PER_DAY = 1
    first, second = _aged(org, "甲"), _aged(org, "乙")
    services.customers_release_to_pool(days=30)
    client.force_login(org.bob)
    page = client.get("/customers/pool/").content.decode()
    assert "甲" in page and "乙" in page and "张伟" not in page
    assert client.post(f"/customers/{first.pk}/claim/").status_code == 302
    first.refresh_from_db()
    assert first.owner == org.bob
    assert OwnerHistory.objects.get(customer=first, ended_at__isnull=True).reason == "claimed"
    events = AuditEvent.objects.count()
    client.post(f"/customers/{second.pk}/claim/")
    second.refresh_from_db()
    assert second.owner is None and AuditEvent.objects.count() == events
    # An owned customer cannot be claimed from under its owner.
    settings.KEHU_POOL_CLAIMS_PER_DAY = 5
    client.post(f"/customers/{org.customer.pk}/claim/")
    org.customer.refresh_from_db()
    assert org.customer.owner == org.alice


def test_pool_is_within_visibility(client, org):
    c = _aged(org, "北方客户")
    services.customers_release_to_pool(days=30)
    client.force_login(org.charlie)  # team South does not see North's customers
    assert "北方客户" not in client.get("/customers/pool/").content.decode()
    assert client.post(f"/customers/{c.pk}/claim/").status_code == 404
    c.refresh_from_db()
    assert c.owner is None


@pytest.mark.parametrize("who", ["ana", "sam", "pat"])
def test_roles_that_may_not_claim(client, org, who):
    c = _aged(org, "公海客户")
    services.customers_release_to_pool(days=30)
    client.force_login(getattr(org, who))
    assert client.get("/customers/pool/").status_code == 403
    assert client.post(f"/customers/{c.pk}/claim/").status_code == 403
    c.refresh_from_db()
    assert c.owner is None


def test_command_refuses_bad_days():
    with pytest.raises(CommandError) as err:
        call_command("pool", "release", "--days", "0")
    assert err.value.returncode == 2


def test_worker_task_releases(org):
    from kehu.customers import tasks

    stale = _aged(org, "任务释放")
    result = tasks.release_pool_task.call()
    stale.refresh_from_db()
    assert result == {"released": 1} and stale.owner is None
