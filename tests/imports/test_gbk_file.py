"""A CSV saved by Excel on Chinese Windows (GBK) is detected and read correctly."""

from kehu.customers.models import Customer
from kehu.imports.readers import detect_encoding

from .conftest import run_import


def test_gbk_csv(org, customers_csv):
    # Enough ASCII first so a look at the first bytes alone would guess wrong.
    rows = [
        [f"G-{i}", "王芳" if i == 40 else f"Wang {i}", f"1380013{i:04d}", "", "广州", "", "", ""]
        for i in range(1, 41)
    ]
    path = customers_csv(rows, encoding="gbk")
    assert detect_encoding(path) == "gb18030"
    job = run_import(org.alice, "customers", path)
    assert job.encoding == "gb18030" and job.failed == 0 and job.created == 40
    assert Customer.objects.get(external_id="G-40").name == "王芳"
    assert Customer.objects.get(external_id="G-1").city == "广州"
