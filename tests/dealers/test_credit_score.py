"""The credit score and suggested limit, computed by hand from the documented formula
(kehu.dealers.credit) over a customer's invoices and the entered financials."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kehu.dealers import credit, services
from kehu.sales.models import Invoice

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _invoice(customer, n, *, due, amount, paid, paid_on, written_off="0"):
    return Invoice.objects.create(
        customer=customer,
        number=f"D-{n}",
        issued_on=due - dt.timedelta(days=30),
        due_on=due,
        amount=Decimal(amount),
        paid_amount=Decimal(paid),
        paid_on=paid_on,
        written_off=Decimal(written_off),
    )


def test_score_from_payment_history_and_financials(org, dealer):
    # On time; 30 days late; 10 days late with 100 of 2,000 written off; not yet due.
    _invoice(dealer, 1, due=dt.date(2026, 1, 31), amount="1000", paid="1000",
             paid_on=dt.date(2026, 1, 20))  # fmt: skip
    _invoice(dealer, 2, due=dt.date(2026, 2, 28), amount="1000", paid="1000",
             paid_on=dt.date(2026, 3, 30))  # fmt: skip
    _invoice(dealer, 3, due=dt.date(2026, 3, 31), amount="2000", paid="1900",
             paid_on=dt.date(2026, 4, 10), written_off="100")  # fmt: skip
    _invoice(dealer, 4, due=dt.date(2026, 8, 31), amount="1000", paid="0", paid_on=None)

    ob = services.start(customer=dealer, by=org.alice)
    ob = services.evaluate_credit(
        onboarding=ob,
        by=org.mia,
        today=TODAY,
        annual_revenue=Decimal("5000000"),
        years_in_business=4,
        registered_capital=Decimal("10000000"),
    )
    # history: 40·(1/3) + 20·(1 − 13.333/60) − 300·(100/4000) = 13.333 + 15.556 − 7.5 = 21.389
    # financials: 15·0.5 + 15·0.4 + 10·1 = 23.5; score round(44.889) = 45
    # limit: 5,000,000 × 0.45 × 10 % = 225,000
    assert ob.credit_details["invoices_due"] == 3
    assert ob.credit_details["paid_on_time"] == 1
    assert ob.credit_details["history_points"] == pytest.approx(21.39, abs=0.01)
    assert ob.credit_details["financial_points"] == pytest.approx(23.5)
    assert ob.credit_score == 45
    assert ob.suggested_limit == Decimal("225000.00")
    assert ob.credit_limit == Decimal("225000.00")
    assert ob.state == "terms"
    assert ob.credit_by == org.mia and ob.credit_at is not None


def test_no_history_counts_half_and_a_low_score_gets_no_credit():
    empty = credit.History(0, 0, 0.0, Decimal(0), Decimal(0))
    # 30 + 15 + 15 + 0 = 60; 20,000,000 × 0.60 × 10 % = 1,200,000
    good = credit.evaluate(empty, revenue=Decimal("20000000"), years=12, capital=None)
    assert (good.score, good.suggested_limit) == (60, Decimal("1200000.00"))
    # 30 + 15·0.01 + 15·0.1 + 0 = 31.65 → 32, under 40: prepaid only
    weak = credit.evaluate(empty, revenue=Decimal("100000"), years=1, capital=None)
    assert (weak.score, weak.suggested_limit) == (32, Decimal("0.00"))


def test_every_invoice_late_and_written_off_floors_history_at_zero():
    bad = credit.History(4, 0, 90.0, Decimal("10000"), Decimal("2000"))
    assert credit.history_points(bad) == 0.0
