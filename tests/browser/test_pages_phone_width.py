"""Every page of the customers, insights, quality, imports and account sections fits a
390 px phone (issue #12): the document never scrolls sideways (generic rules in kehu.css:
tables become cards, filters fold). Service, retention and leads pages are checked too,
as they pass today. Screenshots of the customer form's place picker and the 360 page in
Chinese at both widths go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from kehu.core.models import Profile
from tests.browser.conftest import login

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = [
    "/customers/",
    "/customers/new/",
    "/customers/{pk}/",
    "/customers/{pk}/edit/",
    "/customers/{pk}/history/",
    "/customers/pool/",
    "/insights/",
    "/insights/at-risk/",
    "/insights/churn/",
    "/insights/balanced/",
    "/insights/settings/",
    "/insights/churn/models/",
    "/quality/",
    "/quality/duplicates/",
    "/imports/",
    "/me/",
    "/account/password/",
    "/account/two-factor/",
    "/account/tokens/",
    "/service/",
    "/retention/policy/",
    "/leads/",
]
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def test_no_page_scrolls_sideways_on_a_phone(page, org):
    Profile.objects.filter(user=org.root).update(language="zh-hans")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "root")
    too_wide = {}
    for path in PAGES:
        url = path.format(pk=org.customer.pk)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("load")
        extra = page.evaluate(OVERFLOW)
        if extra > 1:
            too_wide[url] = extra
    assert not too_wide, too_wide


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)])
def test_place_picker_and_360_in_chinese(page, org, size):
    width, height = size
    Profile.objects.filter(user=org.alice).update(language="zh-hans")
    page.set_viewport_size({"width": width, "height": height})
    login(page, "alice")
    page.goto(f"/customers/{org.customer.pk}/edit/")
    # The record's place was typed before the picker ("上海", no province): the typed
    # fields show; unticking "abroad" brings the lists.
    assert page.locator("#id_place_abroad").is_checked()
    page.uncheck("#id_place_abroad")
    page.select_option("#id_division_province", "440000")
    page.wait_for_selector('#id_division_city option[value="440300"]', state="attached")
    page.select_option("#id_division_city", "440300")
    page.wait_for_selector('#id_division_district option[value="440305"]', state="attached")
    page.select_option("#id_division_district", "440305")
    assert page.evaluate(OVERFLOW) <= 1
    page.locator("#place-picker").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"customer-form-place-{width}-zh.png"), full_page=True)
    # Abroad: the typed fields replace the lists.
    page.check("#id_place_abroad")
    assert page.locator("#id_province").is_visible()
    assert not page.locator("#id_division_province").is_visible()
    page.uncheck("#id_place_abroad")
    page.click("#customer-form button.primary")
    page.wait_for_url(f"**/customers/{org.customer.pk}/")
    org.customer.refresh_from_db()
    assert (org.customer.city, org.customer.district, org.customer.division_code) == (
        "深圳市",
        "南山区",
        "440305",
    )
    assert "南山区" in page.content()
    assert page.evaluate(OVERFLOW) <= 1
    page.screenshot(path=str(SHOTS / f"customer-360-{width}-zh.png"), full_page=False)
