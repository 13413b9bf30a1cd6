"""Payment failed: a failed payment in the last 14 days, not followed by a payment."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from kehu.sales.models import Invoice, Payment, PaymentFailure
from kehu.service import proactive
from kehu.service.models import ProactiveSuggestion
from tests.service.proactive_data import NOW, customer, days_ago


def _invoice(c, number: str) -> Invoice:
    return Invoice.objects.create(customer=c, number=number, issued_on=days_ago(30),
                                  due_on=days_ago(5), amount=Decimal("880"))  # fmt: skip


def test_recent_unpaid_failure_is_proposed(org):
    unpaid = customer(org, "王芳", value_at_risk=Decimal("300"))
    PaymentFailure.objects.create(customer=unpaid, invoice=_invoice(unpaid, "I-1"),
                                  failed_on=days_ago(3), amount=Decimal("880"),
                                  reason="余额不足")  # fmt: skip
    paid_since = customer(org, "李娜")
    inv = _invoice(paid_since, "I-2")
    PaymentFailure.objects.create(customer=paid_since, invoice=inv, failed_on=days_ago(4),
                                  amount=Decimal("880"))  # fmt: skip
    Payment.objects.create(invoice=inv, customer=paid_since, paid_on=days_ago(2),
                           amount=Decimal("880"))  # fmt: skip
    old = customer(org, "刘洋")
    PaymentFailure.objects.create(customer=old, failed_on=days_ago(20), amount=Decimal("99"))

    proactive.compute(now=NOW)

    s = ProactiveSuggestion.objects.get()
    assert (s.customer_id, s.kind) == (unpaid.pk, "payment_failed")
    # The amount outweighs the smaller value at risk in the ordering.
    assert s.priority == 880.0
    with translation.override("zh-hans"):
        assert "880.00" in s.reason() and "余额不足" in s.reason()
    with translation.override("en"):
        assert "failed on 2025-06-13" in s.reason()
