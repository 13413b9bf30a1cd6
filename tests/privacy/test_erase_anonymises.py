"""Erasure blanks what identifies the person and keeps what the statistics need."""

import datetime as dt
from decimal import Decimal

from kehu.customers.models import Address, ContactPoint, Customer, Interaction, Relation, SearchKey
from kehu.privacy import services
from kehu.retention.models import Task
from kehu.sales.models import Invoice, Order, OrderLine, Payment
from kehu.service.models import Ticket


def test_erase_anonymises(org, person):
    services.customer_erase(customer=person, by=org.root, reason="request ticket R-17")
    c = Customer.objects.get(pk=person.pk)
    assert c.name == f"已删除客户 #{c.pk} / Erased customer #{c.pk}"
    assert (c.name_en, c.phone, c.email, c.address, c.district, c.id_number, c.notes) == (
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    )
    assert (c.birthday, c.aliases, c.external_id) == (None, [], None)
    assert c.attributes == {"visits": 3}
    # Kept for statistics.
    assert (c.city, c.province, c.tier, c.grade, c.owner) == ("上海", "上海", "key", "A", org.alice)
    assert not ContactPoint.objects.filter(customer=c).exists()
    address = Address.objects.get(customer=c)
    assert (address.province, address.city, address.street) == ("上海", "上海", "")
    interaction = Interaction.objects.get(customer=c)
    assert (interaction.notes, interaction.channel) == ("", "phone")
    assert "南京路" not in interaction.subject
    assert Relation.objects.get(from_customer=c).role == ""
    ticket, task = Ticket.objects.get(customer=c), Task.objects.get(customer=c)
    assert "张伟" not in ticket.subject and ticket.description == ""
    assert "张伟" not in task.title and task.notes == ""
    order = Order.objects.get(customer=c)
    assert (order.number, order.amount, order.ordered_on) == (
        "O-1",
        Decimal("20.00"),
        dt.date(2024, 3, 1),
    )
    assert OrderLine.objects.filter(order=order).count() == 1
    assert (
        Invoice.objects.filter(customer=c).count()
        == Payment.objects.filter(customer=c).count()
        == 1
    )
    keys = set(SearchKey.objects.filter(customer=c).values_list("key", flat=True))
    assert not any("13800138000" in k or "zhang" in k for k in keys)
    assert services.is_erased(c)
