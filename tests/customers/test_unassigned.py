"""A customer without an owner (left by a departed rep, or imported unassigned) shows on
every page instead of breaking it."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_unowned_customer_pages(client, org):
    orphan = Customer.objects.create(name="无主客户", team=org.north)
    client.force_login(org.mia)
    assert "无主客户" in client.get("/customers/").content.decode()
    body = client.get(f"/customers/{orphan.pk}/").content.decode()
    assert "无主客户" in body
    assert client.get(f"/customers/{orphan.pk}/history/").status_code == 200
