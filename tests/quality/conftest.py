"""A world for merge tests: two records of the same person, each with every kind of link,
a third customer they both relate to, and an older record already merged into one of them.

``snapshot(ids)`` reads every column of the customers and of every row in any model that
points at them (found by scanning all models, independently of kehu.quality.links), M2M
through rows included: a merge followed by its undo must leave it unchanged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Q

from kehu.customers import services as customer_services
from kehu.customers.models import Address, ContactPoint, Customer, Relation, Tag
from kehu.quality import services
from kehu.retention.models import Task
from kehu.sales.models import Invoice, Order, Payment
from kehu.service.models import Ticket


def snapshot(ids: list[int]) -> dict:
    out: dict = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label == "quality":
            continue
        columns = [
            f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Customer
        ]
        condition = Q(pk__in=ids) if model is Customer else Q(pk__in=[])
        for f in columns:
            condition |= Q(**{f"{f.attname}__in": ids})
        if model is not Customer and not columns:
            continue
        for obj in model._base_manager.filter(condition):
            out[(model._meta.label_lower, obj.pk)] = {
                f.attname: f.value_from_object(obj) for f in model._meta.concrete_fields
            }
    for pk in ids:
        customer = Customer._base_manager.get(pk=pk)
        out[("tags", pk)] = sorted(customer.tags.values_list("pk", flat=True))
        out[("shared_with", pk)] = sorted(customer.shared_with.values_list("pk", flat=True))
    return out


@pytest.fixture
def world(org):
    w = org
    w.keep = org.customer
    t1 = Tag.objects.create(name="tea")
    t2 = Tag.objects.create(name="golf")
    w.keep.tags.add(t1)
    Customer.objects.filter(pk=w.keep.pk).update(attributes={"plan": "silver"})
    w.keep.refresh_from_db()
    w.remove = customer_services.customer_create(
        by=org.alice,
        owner=org.bob,
        name="張偉",
        name_en="David Zhang",
        aliases=["Zhang W."],
        phone="+8613900139000",
        email="wei.zhang@example.org",
        province="上海",
        city="上海",
        address="南京路1号",
        birthday=dt.date(1985, 4, 1),
        gender="M",
        notes="Likes green tea.",
        attributes={"plan": "gold", "vip": True},
        tags=[t1, t2],
    )
    w.third = customer_services.customer_create(by=org.alice, owner=org.alice, name="李娜")
    w.older = customer_services.customer_create(
        by=org.alice, owner=org.bob, name="张伟 (old)", phone="+8613700137000"
    )
    w.older_merge = services.customer_merge(keep=w.remove, remove=w.older, by=org.mia)
    w.remove.refresh_from_db()

    ContactPoint.objects.create(customer=w.remove, kind="wechat", value="zw1985")
    Address.objects.create(customer=w.remove, kind="work", city="苏州", street="工业园区8号")
    customer_services.customer_share(customer=w.remove, partner=org.p1, by=org.mia)
    customer_services.customer_share(customer=w.remove, partner=org.p2, by=org.mia)
    for src, dst, kind in [
        (w.remove, w.keep, "knows"),  # would relate the merged record to itself
        (w.keep, w.third, "knows"),
        (w.remove, w.third, "knows"),  # the kept record has it already
        (w.third, w.remove, "referred_by"),
        (w.remove, w.third, "parent_of"),
    ]:
        Relation.objects.create(from_customer=src, to_customer=dst, kind=kind)
    day = dt.date(2024, 3, 1)
    for n, customer in enumerate([w.keep, w.remove, w.remove]):
        Order.objects.create(
            customer=customer,
            number=f"O-{n}",
            ordered_on=day,
            channel="store",
            amount=Decimal("120.50"),
            cost=Decimal("70.00"),
        )
    invoice = Invoice.objects.create(
        customer=w.remove,
        order=Order.objects.get(number="O-1"),
        number="I-1",
        issued_on=day,
        due_on=day + dt.timedelta(days=30),
        amount=Decimal("120.50"),
    )
    Payment.objects.create(invoice=invoice, customer=w.remove, paid_on=day, amount=Decimal("20"))
    Ticket.objects.create(customer=w.remove, subject="Broken kettle")
    Task.objects.create(customer=w.remove, title="Call back", assigned_to=org.bob)
    customer_services.interaction_log(
        customer=w.remove, by=org.bob, channel="phone", subject="Asked about prices"
    )
    return w


def _same(a, b, norm=lambda v: str(v).strip().lower()) -> bool | None:
    if not a or not b:
        return None
    return norm(a) == norm(b)


def fake_score(record, candidates):
    """A stand-in for the matcher's single-record scorer: name (simplified), phone (E.164),
    e-mail and ID number, each worth a fixed weight."""
    from kehu.core.text import compact, phone_e164
    from kehu.quality.matcher import Match

    weights = {"name": 4.0, "phone": 6.0, "email": 6.0, "id_number": 8.0}
    norms = {
        "name": compact,
        "phone": lambda v: phone_e164(str(v)) or str(v),
        "email": lambda v: str(v).strip().lower(),
        "id_number": lambda v: str(v).strip().upper(),
    }
    out = []
    for cand in candidates:
        total, evidence = -4.0, []
        for name, weight in weights.items():
            same = _same(record.get(name), cand.get(name), norms[name])
            if same is None:
                continue
            w = weight if same else -weight / 2
            total += w
            evidence.append({"field": name, "level": "exact" if same else "different", "weight": w})
        probability = 2**total / (1 + 2**total)
        out.append(
            Match(customer_id=cand["id"], probability=probability, weight=total, evidence=evidence)
        )
    return out


@pytest.fixture
def fake_scorer():
    from kehu.quality.matcher import use_scorer

    with use_scorer(fake_score):
        yield fake_score
