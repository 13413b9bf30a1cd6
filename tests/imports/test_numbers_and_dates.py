"""Ambiguous numbers are refused, not guessed; order, payment, acquisition and interaction
dates must be plausible, and year 0001 never reaches a time zone conversion (issue #9)."""

import datetime as dt
from decimal import Decimal

import pytest

from kehu.customers.models import Customer, Interaction
from kehu.sales.models import Invoice, Order, Payment

from .conftest import run_import, write_csv
from .helpers import stored_state


@pytest.mark.parametrize("amount", ["1,2,3", "１２３", "1.234,5"])
def test_ambiguous_order_amounts(org, tmp_path, amount):
    before = stored_state()
    rows = [["订单号", "客户", "下单日期", "金额"], ["SO-1", "13800138000", "2024-01-02", amount]]
    job = run_import(org.alice, "orders", write_csv(tmp_path / "o.csv", rows))
    assert job.created == 0
    error = job.row_errors.get()
    assert error.row_number == 2 and error.problems[0]["field"] == "amount"
    assert stored_state() == before


def test_grouped_thousands_still_read(org, tmp_path):
    rows = [
        ["订单号", "客户", "下单日期", "金额"],
        ["SO-1", "13800138000", "2024-01-02", "1,234.50"],
    ]
    assert run_import(org.alice, "orders", write_csv(tmp_path / "o.csv", rows)).created == 1
    assert Order.objects.get().amount == Decimal("1234.50")


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2999-01-01"])
def test_implausible_order_dates(org, tmp_path, day):
    rows = [["订单号", "客户", "下单日期", "金额"], ["SO-1", "13800138000", day, "10"]]
    job = run_import(org.alice, "orders", write_csv(tmp_path / "o.csv", rows))
    assert [p["field"] for p in job.row_errors.get().problems] == ["date"]
    assert not Order.objects.exists()


def test_implausible_payment_and_acquisition_dates(org, tmp_path, customers_csv):
    Invoice.objects.create(
        customer=org.customer,
        number="INV-1",
        issued_on=dt.date(2024, 1, 1),
        due_on=dt.date(2024, 1, 31),
        amount=Decimal("100"),
    )
    rows = [["发票号", "付款日期", "金额"], ["INV-1", "0001-01-01", "10"]]
    job = run_import(org.alice, "payments", write_csv(tmp_path / "p.csv", rows))
    assert [p["field"] for p in job.row_errors.get().problems] == ["date"]
    assert not Payment.objects.exists()
    rows = [["姓名", "客户起始日期"], ["甲", "0001-01-01"]]
    job = run_import(org.alice, "customers", write_csv(tmp_path / "c.csv", rows))
    assert [p["field"] for p in job.row_errors.get().problems] == ["acquired_on"]
    assert not Customer.objects.filter(name="甲").exists()


def test_year_one_interaction_is_a_row_error(org, tmp_path):
    rows = [["客户", "时间", "渠道", "主题"], ["13800138000", "0001-01-01 00:00", "电话", "x"]]
    job = run_import(org.alice, "interactions", write_csv(tmp_path / "i.csv", rows))
    assert [p["field"] for p in job.row_errors.get().problems] == ["occurred_at"]
    assert not Interaction.objects.exists()
