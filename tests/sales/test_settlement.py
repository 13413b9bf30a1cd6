"""One settlement rule for the API, the web and imports: the invoice row is locked, the
paid amount is the sum of the payments, over-payment is refused with a clear error, and
payments on an archived customer's invoice are refused (issue #9)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kehu.customers.services import customer_archive
from kehu.sales.models import Invoice, Payment
from kehu.sales.services import payment_record
from tests.imports.conftest import run_import, write_csv
from tests.imports.helpers import stored_state


@pytest.fixture
def invoice(org):
    return Invoice.objects.create(
        customer=org.customer,
        number="INV-1",
        issued_on=dt.date(2024, 1, 1),
        due_on=dt.date(2024, 1, 31),
        amount=Decimal("300.00"),
    )


def _payments(tmp_path, *rows):
    return write_csv(tmp_path / "p.csv", [["发票号", "付款日期", "金额", "流水号"], *rows])


def test_service_refuses_over_payment(org, invoice):
    payment_record(
        invoice=invoice, by=org.alice, amount=Decimal("200"), paid_on=dt.date(2024, 1, 5)
    )
    before = stored_state()
    with pytest.raises(ValidationError) as exc:
        payment_record(
            invoice=invoice, by=org.alice, amount=Decimal("100.01"), paid_on=dt.date(2024, 1, 6)
        )
    assert "amount" in exc.value.error_dict
    assert stored_state() == before


def test_import_refuses_over_payment_row_by_row(org, invoice, tmp_path):
    before = stored_state()
    path = _payments(
        tmp_path,
        ["INV-1", "2024-01-05", "250", "P-1"],
        ["INV-1", "2024-01-06", "100", "P-2"],
    )
    job = run_import(org.alice, "payments", path)
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    error = job.row_errors.get()
    assert error.row_number == 3 and error.problems[0]["field"] == "amount"
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("250.00") and invoice.paid_on is None
    assert Payment.objects.get().external_id == "P-1"
    assert stored_state()["payments"] == before["payments"] + 1


def test_import_settles_like_the_service(org, invoice, tmp_path):
    run_import(
        org.alice,
        "payments",
        _payments(tmp_path, ["INV-1", "2024-01-09", "100", ""], ["INV-1", "2024-01-05", "200", ""]),
    )
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("300.00") and invoice.paid_on == dt.date(2024, 1, 9)


def test_archived_customers_invoice_takes_no_payment(org, invoice, tmp_path):
    customer_archive(customer=org.customer, by=org.mia)
    before = stored_state()
    with pytest.raises(ValidationError):
        payment_record(
            invoice=invoice, by=org.alice, amount=Decimal("10"), paid_on=dt.date(2024, 1, 6)
        )
    job = run_import(org.mia, "payments", _payments(tmp_path, ["INV-1", "2024-01-05", "10", ""]))
    assert job.created == 0 and job.failed == 1
    assert stored_state() == before


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="the database has no row locks"
)
def test_settlement_locks_the_invoice_row(org, invoice):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        payment_record(
            invoice=invoice, by=org.alice, amount=Decimal("10"), paid_on=dt.date(2024, 1, 6)
        )
    locked = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "sales_invoice" in q["sql"]]
    assert locked


def test_settling_with_cents_stores_the_exact_sum(org, invoice):
    # 100 + 199.80 + 0.20: on SQLite the database sums decimals as floats.
    for amount in ("100", "199.80", "0.20"):
        payment_record(
            invoice=invoice, by=org.alice, amount=Decimal(amount), paid_on=dt.date(2024, 1, 5)
        )
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("300.00") and invoice.paid_on == dt.date(2024, 1, 5)
