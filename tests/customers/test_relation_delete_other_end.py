"""Deleting a relation on the web needs the customers at both ends visible, as in the API: a
rep cannot remove a link into another team's book (404, nothing deleted, nothing audited)."""

from __future__ import annotations

import pytest

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Relation

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(org):
    south = services.customer_create(by=org.charlie, owner=org.charlie, name="李娜")
    return services.relation_create(
        from_customer=org.customer, to_customer=south, kind="knows", by=org.root
    )


def test_web_refuses_like_the_api(client, org, link):
    before = AuditEvent.objects.count()
    client.force_login(org.alice)
    web = client.post(f"/customers/{org.customer.pk}/relations/{link.pk}/delete/")
    assert web.status_code == 404
    assert Relation.objects.filter(pk=link.pk).exists()
    assert AuditEvent.objects.count() == before


def test_who_sees_both_ends_may_delete(client, org, link):
    client.force_login(org.root)
    response = client.post(f"/customers/{org.customer.pk}/relations/{link.pk}/delete/")
    assert response.status_code == 302
    assert not Relation.objects.filter(pk=link.pk).exists()
