"""On a 390 px phone the top bar wraps into rows: nothing in it reaches past the screen's edge,
and the section links stay on one line each (not a column of single characters). Tables that
are wider than a phone are issue #12's (cards on phones), not this test's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.core.models import Profile
from tests.browser.conftest import login


@pytest.mark.django_db(transaction=True)
def test_top_bar_fits_a_phone_in_chinese(page, org):
    Profile.objects.filter(user=org.mia).update(language="zh-hans")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "mia")
    for url in (reverse("customers:list"), reverse("password_change"), reverse("profile")):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('.topbar *')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= 390, (url, right)
        for link in page.locator(".mainnav a").all():
            box = link.bounding_box()
            # One line of text with its padding and underline is about 30 px; two lines are over 40.
            assert box is not None and box["height"] < 40, (url, link.inner_text(), box)
