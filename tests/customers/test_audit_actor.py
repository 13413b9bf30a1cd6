"""Services record their explicit actor ``by`` in the audit trail, not whoever the context
happens to name (a task, a shell, a command runs with no request): each change below is made
outside any request and must still name its actor."""

from __future__ import annotations

import pytest

from kehu.core import audit
from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Customer, Relation
from kehu.quality import services as quality_services

pytestmark = pytest.mark.django_db


def _latest(**filters):
    return AuditEvent.objects.filter(**filters).latest("id")


def _fresh(org):
    return Customer.objects.get(pk=org.customer.pk)


def test_update(org):
    services.customer_update(customer=_fresh(org), by=org.bob, city="北京")
    assert _latest(action="update", model="customers.customer").user == org.bob


def test_update_of_tags(org):
    from kehu.customers.models import Tag

    services.customer_update(
        customer=_fresh(org), by=org.bob, tags=[Tag.objects.create(name="VIP")]
    )
    assert _latest(action="update", model="customers.customer").user == org.bob


def test_archive_and_restore(org):
    services.customer_archive(customer=_fresh(org), by=org.mia)
    assert _latest(action="archive").user == org.mia
    services.customer_restore(customer=_fresh(org), by=org.root)
    assert _latest(action="restore").user == org.root


def test_reassign(org):
    services.customer_reassign(customer=_fresh(org), owner=org.bob, by=org.mia)
    assert _latest(action="reassign").user == org.mia


def test_relation_create_and_delete(org):
    other = services.customer_create(by=org.alice, owner=org.alice, name="王芳")
    relation = services.relation_create(
        from_customer=org.customer, to_customer=other, kind="knows", by=org.bob
    )
    assert _latest(action="create", model="customers.relation").user == org.bob
    services.relation_delete(relation=Relation.objects.get(pk=relation.pk), by=org.mia)
    assert _latest(action="delete", model="customers.relation").user == org.mia


def test_share_and_unshare(org):
    services.customer_share(customer=org.customer, partner=org.p2, by=org.root)
    assert _latest(action="create", model="customers.customershare").user == org.root
    services.customer_unshare(customer=org.customer, partner=org.p2, by=org.mia)
    assert _latest(action="delete", model="customers.customershare").user == org.mia


def test_interaction(org):
    services.interaction_log(customer=org.customer, by=org.sam, channel="phone", subject="Hi")
    assert _latest(action="create", model="customers.interaction").user == org.sam


def test_create(org):
    services.customer_create(by=org.bob, owner=org.bob, name="王芳")
    assert _latest(action="create", model="customers.customer").user == org.bob


def test_the_actor_wins_over_the_context(org):
    with audit.acting_as(org.alice, "web"):
        services.customer_update(customer=_fresh(org), by=org.bob, city="北京")
    event = _latest(action="update", model="customers.customer")
    assert (event.user, event.source) == (org.bob, "web")


def test_merge_and_unmerge(org):
    other = services.customer_create(by=org.alice, owner=org.alice, name="张伟")
    merge = quality_services.customer_merge(keep=org.customer, remove=other, by=org.mia)
    assert {e.user for e in AuditEvent.objects.filter(action="merge")} == {org.mia}
    quality_services.customer_unmerge(merge=merge, by=org.root)
    assert {e.user for e in AuditEvent.objects.filter(action="unmerge")} == {org.root}
