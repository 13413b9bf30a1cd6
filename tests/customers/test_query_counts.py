"""List and 360 pages run a fixed number of queries whatever the number of rows (no N+1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.customers import services
from kehu.customers.models import Interaction, Relation
from kehu.retention.models import Task
from kehu.sales.models import Invoice, Order, Payment
from kehu.service.models import Ticket

pytestmark = pytest.mark.django_db


def _populate(org, n):
    c = org.customer
    for i in range(n):
        other = services.customer_create(by=org.alice, owner=org.alice, name=f"客户{i}")
        Relation.objects.create(from_customer=c, to_customer=other, kind="knows")
        Interaction.objects.create(customer=c, channel="phone", subject=f"call {i}", user=org.bob)
        order = Order.objects.create(
            customer=c,
            number=f"O{n}-{i}",
            ordered_on=dt.date(2026, 1, 1 + i),
            channel="web",
            amount=Decimal("100"),
            cost=Decimal("60"),
        )
        inv = Invoice.objects.create(
            customer=c,
            order=order,
            number=f"I{n}-{i}",
            issued_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 2, 1),
            amount=Decimal("100"),
        )
        Payment.objects.create(invoice=inv, customer=c, paid_on=dt.date(2026, 1, 20), amount=1)
        Ticket.objects.create(customer=c, subject=f"ticket {i}", assigned_to=org.sam)
        Task.objects.create(customer=c, title=f"task {i}", assigned_to=org.alice)


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["list", "detail"])
def test_queries_do_not_grow_with_rows(client, org, path, django_assert_max_num_queries):
    client.force_login(org.mia)
    url = "/customers/" if path == "list" else f"/customers/{org.customer.pk}/"
    _populate(org, 2)
    few = _count_queries(client, url, django_assert_max_num_queries)
    _populate(org, 8)
    many = _count_queries(client, url, django_assert_max_num_queries)
    assert few == many


def test_list_query_budget(client, org, django_assert_max_num_queries):
    client.force_login(org.mia)
    # Session, user and profile; the notification bell's unread count; the page and its
    # count; and at most one query per search tier (exact, prefix, all pairs, inner words),
    # each stopping at the cap: bounded, whatever the number of customers. The keys' scope:
    # the manager's teams and her own customers outside them (search_index.key_scope); on
    # PostgreSQL the settings a search runs with, set and reset (search_index._small_queries).
    with django_assert_max_num_queries(18):
        client.get("/customers/", {"q": "zhang", "grade": "", "sort": "name"})


def test_detail_query_budget(client, org, django_assert_max_num_queries):
    _populate(org, 3)
    client.force_login(org.mia)
    # The 360 page: one query per timeline source and per record tab (orders, invoices,
    # payments), plus the first screen's last contact; never one per row.
    with django_assert_max_num_queries(30):
        client.get(f"/customers/{org.customer.pk}/")
