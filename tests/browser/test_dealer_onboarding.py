"""Dealer onboarding in a real browser, in Chinese, on a desktop and a 390 px phone: a
manager starts the onboarding of a company, evaluates its credit, sets net 30, uploads the
signed contract and approves; the dealer is then a channel partner. No sideways scrolling.
Screenshots go to KEHU_SCREENSHOTS (when set) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kehu.core.models import Profile
from kehu.customers import services as customer_services
from kehu.dealers.models import Onboarding
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("KEHU_SCREENSHOTS")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def warm(page, settings, tmp_path):
    import kehu.urls  # noqa: F401

    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_default_timeout(60_000)


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(("width", "label"), [(1280, "desktop"), (390, "phone")])
def test_manager_onboards_a_dealer(page, org, tmp_path, width, label):
    customer_services.customer_create(
        by=org.alice, owner=org.alice, name="华东建材有限公司", kind="company", city="杭州"
    )
    Profile.objects.update(language="zh-hans")
    contract = tmp_path / "contract.pdf"
    contract.write_bytes(PDF)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "mia")
    page.goto("/dealers/")
    assert page.locator("h1").inner_text() == "经销商准入"
    page.locator("#start-form select").select_option(label="华东建材有限公司")
    page.locator("#start-form button").click()
    page.wait_for_selector("#credit-form")
    assert page.locator("#state").inner_text() == "信用评估"
    page.fill("input[name=annual_revenue]", "20000000")
    page.fill("input[name=years_in_business]", "12")
    page.locator("#credit-form button").click()
    page.wait_for_selector("#terms-form")
    assert page.locator("#credit-score").inner_text().startswith("60 / 100")
    page.locator("select[name=payment_terms]").select_option("net30")
    page.locator("#terms-form button").click()
    page.wait_for_selector("#contract-form")
    page.set_input_files("input[name=contract_file]", str(contract))
    page.fill("input[name=contract_start]", "2026-01-01")
    page.fill("input[name=contract_end]", "2027-12-31")
    shot(page, f"dealers-contract-zh-{label}")
    _no_sideways_scroll(page, width)
    page.locator("#contract-form button").click()
    page.wait_for_selector("#approve-form")
    page.locator("#approve-form button").click()
    page.wait_for_selector("#partner")
    assert page.locator("#state").inner_text() == "已批准"
    assert Onboarding.objects.get().partner.name == "华东建材有限公司"
    shot(page, f"dealers-detail-zh-{label}")
    _no_sideways_scroll(page, width)
    page.goto("/dealers/?state=approved")
    assert "华东建材有限公司" in page.locator("#onboardings").inner_text()
    shot(page, f"dealers-list-zh-{label}")
    _no_sideways_scroll(page, width)
