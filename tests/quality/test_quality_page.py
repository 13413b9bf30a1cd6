"""The data-quality page's figures on a hand-made set, per visibility, in a fixed number of
queries whatever the number of customers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from kehu.customers import services as customer_services
from kehu.customers.models import Customer
from kehu.quality.completeness import quality_overview
from kehu.quality.models import DuplicatePair
from tests.conftest import login


@pytest.fixture
def records(org):
    make = customer_services.customer_create
    # org.customer (alice): name, phone, email, city, owner: 5 of 10 fields → 50 %.
    full = make(
        by=org.alice,
        owner=org.alice,
        name="王芳",
        phone="+8613911112222",
        email="wang.fang@example.com",
        province="上海",
        city="上海",
        address="淮海路2号",
        birthday=dt.date(1990, 1, 2),
        gender="F",
        source="web",
    )  # 100 %
    sparse = make(by=org.bob, owner=org.bob, name="刘强", phone="+8613822223333")  # 30 %
    Customer.objects.filter(pk=sparse.pk).update(phone="12345")  # an old import's phone
    south = make(by=org.charlie, owner=org.charlie, name="赵敏", email="zhao@example.com")
    Customer.objects.filter(pk=south.pk).update(email="zhao@@example")
    orphan = make(by=org.root, name="无主客户")  # no owner: 10 % complete, seen by admins only
    DuplicatePair.objects.create(customer_a=org.customer, customer_b=full, probability=0.9)
    DuplicatePair.objects.create(customer_a=org.customer, customer_b=south, probability=0.9)
    return {"full": full, "sparse": sparse, "south": south, "orphan": orphan}


def test_numbers_for_a_rep(org, records):
    with translation.override("en"):
        o = quality_overview(user=org.alice)
    assert (o.customers, o.average, o.below) == (3, 60.0, 2)
    assert (o.invalid_phone, o.invalid_email, o.open_pairs) == (1, 0, 1)
    assert [(r.name, r.customers, r.average, r.below) for r in o.owners] == [
        ("bob", 1, 30.0, 1),
        ("alice", 2, 75.0, 1),
    ]
    assert [i.customer.pk for i in o.worst] == [
        records["sparse"].pk,
        org.customer.pk,
        records["full"].pk,
    ]
    sparse = o.worst[0]
    assert "email" in sparse.missing and "birthday" in sparse.missing
    assert sparse.invalid == ["phone is not in international (E.164) form"]
    assert [i.customer.pk for i in o.invalid] == [records["sparse"].pk]


def test_numbers_for_an_administrator(org, records):
    o = quality_overview(user=org.root)
    assert (o.customers, o.below, o.invalid_phone, o.invalid_email, o.open_pairs) == (
        5,
        4,
        1,
        1,
        2,
    )
    assert records["south"].pk in [i.customer.pk for i in o.invalid]
    assert o.worst[0].customer.pk == records["orphan"].pk
    assert (o.owners[0].owner_id, o.owners[0].average) == (None, 10.0)


def test_query_count_does_not_grow_with_customers(org, records, django_assert_num_queries):
    with django_assert_num_queries(7):  # manager: managed teams, then one query per figure
        quality_overview(user=org.mia)
    for n in range(30):
        customer_services.customer_create(by=org.bob, owner=org.bob, name=f"客户{n}")
    with django_assert_num_queries(7):
        quality_overview(user=org.mia)


def test_page_shows_the_figures_with_links_to_fix(
    client, org, records, django_assert_max_num_queries
):
    login(client, org.alice)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("quality:home")).content.decode()
    assert 'data-kpi="below">2<' in html
    assert 'data-kpi="open-pairs">1<' in html
    assert reverse("customers:edit", args=[records["sparse"].pk]) in html
    assert reverse("customers:edit", args=[records["south"].pk]) not in html
    client.logout()
    login(client, org.root)
    html = client.get(reverse("quality:home")).content.decode()
    assert reverse("customers:edit", args=[records["orphan"].pk]) in html
