"""Printed letters: one page per recipient the sender sees, in Chinese, personalised, each
logged on the timeline; a brochure is one document with its title and text."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from kehu.customers import services as customer_services
from kehu.customers.models import Interaction
from kehu.development import letters
from kehu.development.models import LeadTouch, Mailing
from tests.conftest import login
from tests.development.pdftext import page_count, page_texts


def test_letters_pdf_has_a_page_per_recipient_with_its_text(org, leads):
    pdf = letters.letters_pdf(
        subject="中秋节问候",
        body="{name}，祝您中秋快乐！",
        holders=[org.customer, leads.north],
        sender="Alice",
        on=dt.date(2026, 9, 25),
    )
    assert pdf.startswith(b"%PDF") and page_count(pdf) == 2
    text = page_texts(pdf)
    assert "张伟，祝您中秋快乐！" in text and "李娜，祝您中秋快乐！" in text
    assert "2026-09-25" in text


def test_long_text_wraps_within_the_page(org):
    pdf = letters.letters_pdf(
        subject="s", body="长" * 3000, holders=[org.customer], sender="A", on=dt.date(2026, 1, 5)
    )
    assert page_count(pdf) >= 2
    assert page_texts(pdf).count("长") == 3000


def test_letters_page_returns_pdf_and_logs_visible_recipients(client, org, leads):
    outsider = customer_services.customer_create(by=org.charlie, owner=org.charlie, name="陈刚")
    r = login(client, org.alice).post(
        reverse("development:mailing"),
        {
            "audience": "customers",
            "subject": "新年贺信",
            "body": "{name}，新年快乐",
            "to": [org.customer.pk, outsider.pk],
            "action": "letters",
        },
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert page_count(r.content) == 1 and "张伟，新年快乐" in page_texts(r.content)
    assert Interaction.objects.filter(customer=org.customer, channel="mail").count() == 1
    assert not Interaction.objects.filter(customer=outsider).exists()
    assert Mailing.objects.get().kind == "letter"
    assert not LeadTouch.objects.exists()


def test_brochure_pdf():
    pdf = letters.brochure_pdf(title="春季新品", body="第一段\n第二段", sender="销售部")
    assert page_count(pdf) == 1
    assert page_texts(pdf).split("\n") == ["春季新品", "第一段", "第二段", "销售部"]
