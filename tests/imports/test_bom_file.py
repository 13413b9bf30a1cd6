"""UTF-8 with a byte-order mark: the BOM does not end up in the first header."""

from kehu.customers.models import Customer

from .conftest import run_import


def test_utf8_bom_csv(org, customers_csv):
    path = customers_csv(
        [["B-1", "赵敏", "13700137000", "", "杭州", "", "", ""]], encoding="utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    job = run_import(org.alice, "customers", path)
    assert job.headers[0] == "客户编号" and job.mapping["客户编号"] == "external_id"
    assert job.created == 1
    assert Customer.objects.get(external_id="B-1").name == "赵敏"
