"""A sales rep logs in, searches, opens the customer's 360 page and logs a call in two
clicks, in a real browser."""

from __future__ import annotations

import pytest

from kehu.customers.models import Interaction
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_open_and_log_interaction(page, org):
    login(page, "alice")
    page.fill("#q", "zhang wei")
    page.wait_for_selector("#customer-table >> text=张伟")
    page.click("#customer-table >> text=张伟")
    page.wait_for_selector("#customer-name")
    assert "张伟" in page.inner_text("#customer-name")
    assert "138 0013 8000" in page.inner_text("#profile")

    page.click("#log-interaction summary")  # click 1: open the form
    page.fill("#id_subject", "Called about renewal")
    page.click("#interaction-save")  # click 2: save
    page.wait_for_selector("#logged-ok")
    assert "Called about renewal" in page.inner_text("#timeline")
    assert Interaction.objects.filter(subject="Called about renewal", user=org.alice).exists()
