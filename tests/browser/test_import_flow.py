"""Import in a real browser: upload a file, see the preview and the bad rows, commit."""

from __future__ import annotations

import pytest

from kehu.customers.models import Customer
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "姓名,手机,邮箱,城市\n"
    "王芳,139 0013 9000,wangfang@example.com,杭州\n"
    "李雷,12345,lilei@example.com,北京\n"  # row 3: not a phone number
    "韩梅梅,+86 137-0013-7000,hmm@example.com,上海\n"
)


def test_upload_preview_errors_commit(page, org, tmp_path):
    path = tmp_path / "客户.csv"
    path.write_bytes(CSV.encode("gb18030"))
    login(page, "alice")
    page.goto("/imports/")
    page.select_option("#import-upload select", "customers")
    page.set_input_files("#import-file", str(path))
    page.click("#import-upload-submit")
    page.wait_for_selector("#import-preview")
    assert "王芳" in page.inner_text("#import-preview")  # GB18030 decoded

    page.click("#import-dry-run")
    page.wait_for_selector("#import-errors")
    errors = page.inner_text("#import-errors")
    assert "3" in errors and "12345" in errors
    assert not Customer.objects.filter(name="王芳").exists()  # a dry run stores nothing

    page.click("#import-commit")
    page.wait_for_selector("#import-status[data-status=done]")
    assert Customer.objects.filter(name="王芳", phone="+8613900139000").exists()
    assert Customer.objects.filter(name="韩梅梅", phone="+8613700137000").exists()
    assert not Customer.objects.filter(name="李雷").exists()
