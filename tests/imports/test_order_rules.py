"""Orders go through the sales rules: a line's amount agrees with quantity × unit price,
the order's total is its lines' sum, and only a manager assigns an order to another rep
(issue #9: one import moved company profit from 42.7M to 142.7M)."""

from decimal import Decimal

from kehu.sales.models import Order, Product

from .conftest import run_import, write_csv
from .helpers import stored_state

HEADERS = ["订单号", "客户", "下单日期", "SKU", "数量", "单价", "金额", "销售员"]


def _file(tmp_path, *rows):
    return write_csv(tmp_path / "orders.csv", [HEADERS, *rows])


def test_amount_that_disagrees_with_its_line_is_refused(org, tmp_path):
    Product.objects.create(sku="TEA", name="茶叶", price=Decimal("50"), unit_cost=Decimal("20"))
    before = stored_state()
    path = _file(tmp_path, ["SO-1", "13800138000", "2024-01-02", "TEA", "2", "50", "100000000", ""])
    job = run_import(org.alice, "orders", path)
    assert job.counts["created"] == 0 and job.failed == 1
    error = job.row_errors.get()
    assert error.row_number == 2 and error.problems[0]["field"] == "amount"
    assert stored_state() == before


def test_amount_within_a_cent_is_taken_from_the_line(org, tmp_path):
    Product.objects.create(sku="TEA", name="茶叶", price=Decimal("3.33"), unit_cost=Decimal("1"))
    path = _file(tmp_path, ["SO-1", "13800138000", "2024-01-02", "TEA", "3", "3.33", "10.00", ""])
    job = run_import(org.alice, "orders", path)
    assert job.created == 1
    assert Order.objects.get(number="SO-1").amount == Decimal("9.99")


def test_rep_cannot_assign_an_order_to_another_rep(org, tmp_path):
    before = stored_state()
    path = _file(tmp_path, ["SO-1", "13800138000", "2024-01-02", "", "", "", "100", "bob"])
    job = run_import(org.alice, "orders", path)
    assert job.created == 0
    assert [p["field"] for p in job.row_errors.get().problems] == ["sales_rep"]
    assert stored_state() == before


def test_order_without_rep_is_the_importers_and_a_manager_assigns(org, tmp_path):
    path = _file(
        tmp_path,
        ["SO-1", "13800138000", "2024-01-02", "", "", "", "100", ""],
        ["SO-2", "13800138000", "2024-01-02", "", "", "", "100", "alice"],
    )
    assert run_import(org.alice, "orders", path).created == 2
    assert set(Order.objects.values_list("sales_rep_id", flat=True)) == {org.alice.pk}
    path = _file(tmp_path, ["SO-3", "13800138000", "2024-01-02", "", "", "", "100", "bob"])
    assert run_import(org.mia, "orders", path).created == 1
    assert Order.objects.get(number="SO-3").sales_rep == org.bob


def test_a_row_without_product_cannot_add_to_an_order_with_lines(org, tmp_path):
    Product.objects.create(sku="TEA", name="茶叶", price=Decimal("50"), unit_cost=Decimal("20"))
    before = stored_state()
    path = _file(
        tmp_path,
        ["SO-1", "13800138000", "2024-01-02", "TEA", "1", "50", "", ""],
        ["SO-1", "13800138000", "2024-01-02", "", "", "", "100000000", ""],
    )
    job = run_import(org.alice, "orders", path)
    assert job.created == 0 and job.failed == 1
    assert stored_state() == before
