"""Invoices and payments: payments are matched idempotently and settle their invoice."""

import datetime as dt
from decimal import Decimal

from kehu.sales.models import Invoice, Payment

from .conftest import run_import, write_csv


def test_invoices_then_payments(org, tmp_path):
    invoices = write_csv(
        tmp_path / "invoices.csv",
        [
            ["发票号", "客户", "开票日期", "到期日", "金额"],
            ["INV-1", "13800138000", "2024-01-01", "2024-01-31", "300"],
            ["INV-2", "13800138000", "2024-02-01", "2024-01-01", "100"],
        ],
    )
    job = run_import(org.alice, "invoices", invoices)
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}
    assert job.row_errors.get().problems[0]["field"] == "due_on"

    rows = [
        ["发票号", "付款日期", "金额", "付款方式", "流水号"],
        ["INV-1", "2024-01-10", "100", "微信", "PAY-1"],
        ["INV-1", "2024-01-20", "200", "转账", ""],
        ["INV-9", "2024-01-20", "200", "", ""],
    ]
    job = run_import(org.alice, "payments", write_csv(tmp_path / "payments.csv", rows))
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 1}
    invoice = Invoice.objects.get(number="INV-1")
    assert invoice.paid_amount == Decimal("300.00") and invoice.paid_on == dt.date(2024, 1, 20)
    assert invoice.outstanding == 0

    again = run_import(org.alice, "payments", write_csv(tmp_path / "again.csv", rows))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 1}
    assert Payment.objects.count() == 2


def test_partial_payment_leaves_invoice_open(org, tmp_path):
    run_import(
        org.alice,
        "invoices",
        write_csv(
            tmp_path / "i.csv",
            [
                ["invoice_number", "customer", "issued_on", "due_on", "amount"],
                ["INV-5", "zhang.wei@example.com", "2024-01-01", "2024-01-31", "500"],
            ],
        ),
    )
    run_import(
        org.alice,
        "payments",
        write_csv(
            tmp_path / "p.csv", [["invoice", "date", "amount"], ["INV-5", "2024-01-05", "¥200.00"]]
        ),
    )
    invoice = Invoice.objects.get(number="INV-5")
    assert invoice.paid_amount == Decimal("200.00") and invoice.paid_on is None
