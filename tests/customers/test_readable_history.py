"""The change history reads as people talk (issue #12): field labels instead of column names,
names instead of ids, choices by label, grouped per change, in the reader's language; the
page is whole when opened directly; and it costs the same queries however many events."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehu.customers import services

pytestmark = pytest.mark.django_db


def _history(client, customer, lang="en"):
    client.cookies["django_language"] = lang
    return client.get(f"/customers/{customer.pk}/history/", HTTP_HX_REQUEST="true").content.decode()


def test_reassign_reads_with_names_and_labels(client, org):
    services.customer_reassign(customer=org.customer, owner=org.charlie, by=org.mia, reason="x")
    client.force_login(org.root)
    body = _history(client, org.customer)
    assert "owner_id" not in body and "team_id" not in body and "customers.customer" not in body
    assert "Owner" in body and "charlie" in body and "South" in body and "North" in body
    assert "Reassigned" in body


def test_choices_by_label_in_chinese(client, org):
    services.customer_update(customer=org.customer, by=org.alice, gender="F", source="referral")
    client.force_login(org.alice)
    body = _history(client, org.customer, "zh-hans")
    assert "gender" not in body and "referral" not in body
    assert "性别" in body and "女" in body


def test_history_queries_do_not_grow(client, org):
    client.force_login(org.root)
    services.customer_reassign(customer=org.customer, owner=org.bob, by=org.mia)
    with CaptureQueriesContext(connection) as few:
        _history(client, org.customer)
    for user in (org.charlie, org.alice, org.bob, org.charlie):
        services.customer_reassign(customer=org.customer, owner=user, by=org.mia)
        services.customer_update(customer=org.customer, by=org.alice, city=f"city-{user.pk}")
    with CaptureQueriesContext(connection) as many:
        _history(client, org.customer)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_masked_role_cannot_read_history(client, org):
    client.force_login(org.ana)
    assert client.get(f"/customers/{org.customer.pk}/history/").status_code == 404
