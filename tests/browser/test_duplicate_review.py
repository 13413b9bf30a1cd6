"""Duplicate review in a real browser: the pair side by side, merge, and the records
follow the kept customer."""

from __future__ import annotations

import pytest

from kehu.customers import services
from kehu.customers.models import Customer, Interaction
from kehu.quality.models import DuplicatePair
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_review_and_merge(page, org):
    twin = services.customer_create(
        by=org.bob, owner=org.bob, name="Zhang Wei", phone="+8613800138000", city="上海"
    )
    Interaction.objects.create(customer=twin, channel="phone", subject="Call on the twin")
    a, b = sorted([org.customer.pk, twin.pk])
    pair = DuplicatePair.objects.create(customer_a_id=a, customer_b_id=b, probability=0.97)

    login(page, "mia")
    page.goto("/quality/duplicates/")
    card = f"#dup-pair-{pair.pk}"
    page.wait_for_selector(card)
    text = page.inner_text(card)
    assert "张伟" in text and "Zhang Wei" in text
    keep_side = "left" if a == org.customer.pk else "right"
    # Merging asks first, naming who will be archived; the reviewer confirms.
    questions: list[str] = []
    page.on("dialog", lambda d: (questions.append(d.message), d.accept()))
    page.click(f"{card} [data-action=merge][data-keep={keep_side}]")
    page.wait_for_selector(f"{card}[data-done='1']")
    assert len(questions) == 1 and questions[0]

    twin.refresh_from_db()
    assert twin.is_archived and twin.merged_into_id == org.customer.pk
    assert Interaction.objects.get(subject="Call on the twin").customer_id == org.customer.pk
    assert "Zhang Wei" in Customer.objects.get(pk=org.customer.pk).aliases
