"""Key customers' tickets are flagged VIP and go to the key-customer team when one is set."""

from __future__ import annotations

from kehu.core.models import Team
from kehu.customers.models import Customer
from tests.service.helpers import ticket


def test_key_customer_routed_to_key_team(org, settings):
    vip_team = Team.objects.create(name="大客户服务")
    settings.KEHU_SERVICE_KEY_TEAM = "大客户服务"
    Customer.objects.filter(pk=org.customer.pk).update(tier="key")
    org.customer.refresh_from_db()
    t = ticket(org)
    assert (t.vip, t.team) == (True, vip_team)


def test_ordinary_customer_takes_assignees_team(org, settings):
    settings.KEHU_SERVICE_KEY_TEAM = "大客户服务"
    Team.objects.create(name="大客户服务")
    t = ticket(org, assignee=org.bob)
    assert (t.vip, t.team) == (False, org.north)
