"""Orders: one row per line, grouped by order number (also when not adjacent); totals are
the sums of the lines; re-import is unchanged; a bad line rejects its whole order."""

import datetime as dt
from decimal import Decimal

from kehu.sales.models import Order, OrderLine, Product

from .conftest import run_import, write_csv

HEADERS = ["订单号", "客户", "下单日期", "渠道", "SKU", "产品名称", "数量", "单价", "成本"]


def test_orders_with_lines(org, tmp_path):
    Product.objects.create(sku="TEA", name="茶叶", price=Decimal("50"), unit_cost=Decimal("20"))
    rows = [
        HEADERS,
        ["SO-1", "+8613800138000", "2024-01-02", "门店", "TEA", "", "2", "50", ""],
        ["SO-2", "zhang.wei@example.com", "2024/02/03", "电话", "CUP", "茶杯", "1", "30", "10"],
        ["SO-1", "+8613800138000", "2024-01-02", "门店", "CUP", "茶杯", "3", "30", "10"],
        ["SO-3", "13800138000", "2024-03-04", "web", "TEA", "", "x", "50", ""],
        ["SO-3", "13800138000", "2024-03-04", "web", "TEA", "", "1", "50", ""],
        ["SO-4", "nobody@example.com", "2024-03-04", "web", "TEA", "", "1", "50", ""],
    ]
    path = write_csv(tmp_path / "orders.csv", rows)
    job = run_import(org.alice, "orders", path)
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "failed": 2}
    so1 = Order.objects.get(number="SO-1")
    assert so1.customer == org.customer and so1.ordered_on == dt.date(2024, 1, 2)
    assert so1.channel == "store" and so1.lines.count() == 2
    # 2×50 + 3×30; cost: 2 × the product's unit cost 20 + the line's own cost column 10
    assert so1.amount == Decimal("190.00") and so1.cost == Decimal("50.00")
    assert Product.objects.get(sku="CUP").name == "茶杯"  # unknown SKU created from the row
    errors = {e.row_number: e.problems[0]["field"] for e in job.row_errors.all()}
    assert errors == {5: "quantity", 6: "order_number", 7: "customer"}
    assert not Order.objects.filter(number__in=["SO-3", "SO-4"]).exists()

    lines = OrderLine.objects.count()
    again = run_import(org.alice, "orders", write_csv(tmp_path / "again.csv", rows))
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "failed": 2}
    assert OrderLine.objects.count() == lines

    rows[3][6] = "4"  # SO-1 now has 4 cups
    changed = run_import(org.alice, "orders", write_csv(tmp_path / "changed.csv", rows))
    assert changed.counts["updated"] == 1
    so1.refresh_from_db()
    assert so1.amount == Decimal("220.00") and so1.lines.count() == 2
