"""Two people editing the same customer: the second save no longer silently reverts the
first. The form carries the version it was loaded with; a stale save is refused (409) with
what changed since (label, value then, value now) and nothing is stored."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kehu.core.models import AuditEvent
from kehu.customers.models import Customer
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "person",
        "name": "张伟",
        "name_en": "Wei Zhang",
        "phone": "13800138000",
        "email": "zhang.wei@example.com",
        "city": "上海",
    }
    data.update(overrides)
    return data


def _loaded_version(client, pk) -> str:
    page = client.get(f"/customers/{pk}/edit/").content.decode()
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert match, "the edit form carries the version it was loaded with"
    return match.group(1)


def test_stale_form_is_refused_with_what_changed(org):
    pk = org.customer.pk
    alice, bob = login(Client(), org.alice), login(Client(), org.bob)
    alice_version = _loaded_version(alice, pk)
    bob_version = _loaded_version(bob, pk)
    response = bob.post(f"/customers/{pk}/edit/", _form(city="广州", version=bob_version))
    assert response.status_code == 302
    events = AuditEvent.objects.count()

    response = alice.post(
        f"/customers/{pk}/edit/", _form(name="张三", email="", version=alice_version)
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="stale-changes"' in page
    row = re.search(r"<tr><td>([^<]+)</td><td>上海</td><td>广州</td></tr>", page)
    assert row, "the changed field with its value then and now"
    assert f"/customers/{pk}/edit/" in page  # reload link
    customer = Customer.objects.get(pk=pk)
    assert (customer.city, customer.name, customer.email) == ("广州", "张伟", org.customer.email)
    assert AuditEvent.objects.count() == events


def test_fresh_form_saves_and_moves_the_version_on(org):
    pk = org.customer.pk
    alice = login(Client(), org.alice)
    version = _loaded_version(alice, pk)
    response = alice.post(f"/customers/{pk}/edit/", _form(city="北京", version=version))
    assert response.status_code == 302
    assert Customer.objects.get(pk=pk).version == int(version) + 1
    assert _loaded_version(alice, pk) == str(int(version) + 1)


def test_reassignment_makes_an_open_form_stale(org):
    from kehu.customers import services

    pk = org.customer.pk
    alice = login(Client(), org.alice)
    version = _loaded_version(alice, pk)
    services.customer_reassign(customer=org.customer, owner=org.bob, by=org.mia)
    response = alice.post(f"/customers/{pk}/edit/", _form(city="北京", version=version))
    assert response.status_code == 409
    assert Customer.objects.get(pk=pk).city == "上海"
