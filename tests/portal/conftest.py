"""Portal fixtures: customer A (org.customer, alice's, North) with portal user ``wang``;
customer B (charlie's, South) with portal user ``li``; a ticket of each with a reply, an
internal note and the customer's own message."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from kehu.customers import services as customer_services
from kehu.portal import services
from kehu.service import services as ticket_services


@pytest.fixture
def portal(org):
    class Portal:
        pass

    p = Portal()
    p.a = org.customer
    p.b = customer_services.customer_create(by=org.charlie, owner=org.charlie, name="李娜")
    p.wang_access = services.invite(
        customer=p.a, by=org.sam, email="wang@example.com", name="王先生"
    )
    p.li_access = services.invite(customer=p.b, by=org.sam, email="li@example.com", name="李女士")
    p.wang = p.wang_access.user
    p.li = p.li_access.user
    p.ticket_a = ticket_services.ticket_create(customer=p.a, by=org.sam, subject="A 的问题")
    ticket_services.ticket_reply(ticket=p.ticket_a, by=org.sam, body="公开回复 A")
    ticket_services.ticket_note(ticket=p.ticket_a, by=org.sam, body="内部备注：客户A很难缠")
    p.ticket_b = ticket_services.ticket_create(customer=p.b, by=org.sam, subject="B 的问题")
    ticket_services.ticket_reply(ticket=p.ticket_b, by=org.sam, body="公开回复 B")
    ticket_services.ticket_note(ticket=p.ticket_b, by=org.sam, body="内部备注 B")
    mail.outbox.clear()
    return p


LINK = re.compile(r"(?:https?://\S+)?/portal/signin/(\S+)/")


def link_token(message) -> str:
    """The signed token of the sign-in link in an e-mail."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture(autouse=True)
def english(client):
    # Messages are asserted in English; the deployment's default is Chinese.
    client.cookies["django_language"] = "en"
    return client
