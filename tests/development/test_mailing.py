"""A mailing reaches only the chosen recipients the sender may see, skips those without an
address or who asked for no mailings, personalises {name}, and logs each one sent on its
timeline (a customer's interaction, a lead's touch)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from kehu.customers import services as customer_services
from kehu.customers.models import Customer, Interaction
from kehu.development import touches
from kehu.development.models import LeadTouch, Mailing
from tests.conftest import login


def test_only_visible_recipients_are_mailed(org, leads):
    outsider = customer_services.customer_create(
        by=org.charlie, owner=org.charlie, name="陈刚", email="chen@example.com"
    )
    leads.north.email = "li.na@example.com"
    leads.north.save()
    result = touches.mailing_send(
        by=org.alice,
        subject="新品发布",
        body="{name}，您好！",
        customer_ids=[org.customer.pk, outsider.pk],
        lead_ids=[leads.north.pk, leads.south.pk],
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["li.na@example.com", "zhang.wei@example.com"]
    assert {m.body for m in mail.outbox} == {"张伟，您好！", "李娜，您好！"}
    assert {h.pk for h in result.sent} == {org.customer.pk, leads.north.pk}
    assert Interaction.objects.filter(customer=org.customer, channel="email").count() == 1
    assert not Interaction.objects.filter(customer=outsider).exists()
    assert LeadTouch.objects.filter(lead=leads.north, kind="email").count() == 1
    assert not LeadTouch.objects.filter(lead=leads.south).exists()


def test_opted_out_and_addressless_are_skipped(org, leads):
    # Customers keep the opt-out among their custom attributes (set by import or admin).
    Customer.objects.filter(pk=org.customer.pk).update(attributes={"no_mailings": True})
    leads.south.email, leads.south.no_mailings = "wang@example.com", True
    leads.south.save()
    result = touches.mailing_send(
        by=org.root,
        subject="活动",
        body="邀请",
        customer_ids=[org.customer.pk],
        lead_ids=[leads.north.pk, leads.south.pk],  # north has no e-mail address
    )
    assert not mail.outbox and not result.sent
    assert len(result.skipped) == 3
    assert Mailing.objects.get().skipped == 3
    assert not Interaction.objects.filter(customer=org.customer, channel="email").exists()


def test_mailing_page_sends_and_refuses_without_text(client, org, leads):
    login(client, org.alice)
    url = reverse("development:mailing")
    page = client.get(url, {"audience": "customers"})
    assert page.status_code == 200 and "张伟" in page.content.decode()
    r = client.post(
        url,
        {
            "audience": "customers",
            "subject": "",
            "body": "x",
            "to": [org.customer.pk],
            "action": "email",
        },
    )
    assert r.status_code == 422 and not mail.outbox and not Mailing.objects.exists()
    r = client.post(
        url,
        {
            "audience": "customers",
            "subject": "你好",
            "body": "正文",
            "to": [org.customer.pk],
            "action": "email",
        },
    )
    assert r.status_code == 302 and len(mail.outbox) == 1


def test_analyst_and_partner_may_not_mail(client, org):
    for user in (org.ana, org.pat):
        r = login(client, user).post(
            reverse("development:mailing"),
            {
                "audience": "customers",
                "subject": "s",
                "body": "b",
                "to": [org.customer.pk],
                "action": "email",
            },
        )
        assert r.status_code == 403
    assert not mail.outbox and not Mailing.objects.exists()
