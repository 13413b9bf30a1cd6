"""A person with data in every app: the customer of ``org`` (alice's, shared with P1) with
contact points, an address, an interaction, a relation, an order with a line, an invoice
and its payment, a ticket and a retention task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.core.models import AuditEvent
from kehu.customers import services
from kehu.customers.models import Address, ContactPoint, Customer
from kehu.retention.models import Task
from kehu.sales.models import Invoice, Order, OrderLine, Payment, Product
from kehu.service.models import Ticket

PERSONAL = [
    "张伟",
    "Wei Zhang",
    "+8613800138000",
    "13800138000",
    "zhang.wei@example.com",
    "wxid_zhangwei88",
    "南京路 100 号 5 楼",
    "310101198001011234",
    "likes golf, wife Li Na",
    "complained about the delivery to 南京路",
]


@pytest.fixture
def person(org):
    c = Customer.objects.get(pk=org.customer.pk)
    # A plain save: the audit trail records the before/after values an erasure must scrub.
    c.province, c.district, c.address = "上海", "黄浦区", "南京路 100 号 5 楼"
    c.birthday, c.id_number = dt.date(1980, 1, 1), "310101198001011234"
    c.notes, c.aliases = "likes golf, wife Li Na", ["張偉"]
    c.attributes = {"plan": "gold", "visits": 3, "merged": {"phone": "+8613700137000"}}
    c.save()
    Customer.objects.filter(pk=c.pk).update(tier="key", grade="A")
    ContactPoint.objects.create(customer=c, kind="wechat", value="wxid_zhangwei88")
    ContactPoint.objects.create(customer=c, kind="phone", value="+8613900139000", label="home")
    Address.objects.create(
        customer=c, kind="home", province="上海", city="上海", street="南京路 100 号 5 楼"
    )
    services.interaction_log(
        customer=c,
        by=org.alice,
        channel="phone",
        subject="complained about the delivery to 南京路",
        notes="likes golf, wife Li Na",
    )
    other = services.customer_create(by=org.alice, owner=org.alice, name="上海某某贸易有限公司")
    services.relation_create(
        from_customer=c, to_customer=other, kind="contact_at", by=org.alice, role="采购经理"
    )
    product = Product.objects.create(sku="P1", name="Tea", price=Decimal("10"))
    order = Order.objects.create(
        customer=c,
        number="O-1",
        ordered_on=dt.date(2024, 3, 1),
        channel="store",
        amount=Decimal("20"),
        cost=Decimal("8"),
    )
    OrderLine.objects.create(
        order=order, product=product, quantity=2, unit_price=Decimal("10"), amount=Decimal("20")
    )
    invoice = Invoice.objects.create(
        customer=c,
        order=order,
        number="I-1",
        issued_on=dt.date(2024, 3, 1),
        due_on=dt.date(2024, 3, 31),
        amount=Decimal("20"),
        paid_amount=Decimal("20"),
    )
    Payment.objects.create(
        invoice=invoice, customer=c, paid_on=dt.date(2024, 3, 5), amount=Decimal("20")
    )
    Ticket.objects.create(
        customer=c, subject="broken cup for 张伟", description="call 13800138000 after 6pm"
    )
    Task.objects.create(customer=c, title="Call 张伟 about renewal", notes="wife Li Na")
    return Customer.objects.get(pk=c.pk)


def audit_count() -> int:
    return AuditEvent.objects.count()


def snapshot(customer_id: int) -> tuple:
    """Everything a refused request must leave as it was."""
    c = Customer._base_manager.get(pk=customer_id)
    return (
        c.name,
        c.phone,
        c.email,
        c.address,
        c.notes,
        c.id_number,
        ContactPoint.objects.filter(customer_id=customer_id).count(),
        list(AuditEvent.objects.order_by("pk").values_list("pk", "summary", "changes")),
    )
