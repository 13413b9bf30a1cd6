"""One mask everywhere: the analyst sees the same masked phone and e-mail on the 360 page,
the list, the API and in exports, and all of them together reveal at most the last four
digits of a phone number (the web once showed 135********63 and the API **********6563)."""

from __future__ import annotations

import re

import pytest

from kehu.api.auth import issue_token
from kehu.core.masking import Mask, mask_value

pytestmark = pytest.mark.django_db

PHONE_DIGITS = "13800138000"


def _api_customer(client, org):
    _token, raw = issue_token(user=org.ana, name="t")
    response = client.get(
        f"/api/v1/customers/{org.customer.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    return response.json()


def _revealed_digits(text: str) -> set[int]:
    """Positions of the phone's digits that a masked string gives away (aligned right)."""
    digits = re.sub(r"[^\d*]", "", text)
    return {
        len(PHONE_DIGITS) - i
        for i, ch in enumerate(reversed(digits), start=1)
        if ch.isdigit() and i <= len(PHONE_DIGITS)
    }


def test_page_list_and_api_show_the_same_masked_strings(client, org):
    client.force_login(org.ana)
    page = client.get(f"/customers/{org.customer.pk}/").content.decode()
    listing = client.get("/customers/").content.decode()
    api = _api_customer(client, org)
    phone, email = api["phone"], api["email"]
    assert phone == mask_value(Mask.PHONE, "+86" + PHONE_DIGITS)
    assert email == mask_value(Mask.EMAIL, "zhang.wei@example.com")
    assert phone in page and email in page
    assert phone in listing


def test_the_views_together_reveal_at_most_four_digits(client, org):
    client.force_login(org.ana)
    page = client.get(f"/customers/{org.customer.pk}/").content.decode()
    api = _api_customer(client, org)
    shown = [m for m in re.findall(r"[\d*][\d* ]{6,}[\d*]", page) if "*" in m]
    shown.append(api["phone"])
    revealed: set[int] = set()
    for text in shown:
        revealed |= _revealed_digits(text)
    assert len(revealed) <= 4
    assert "138" not in api["phone"] and all("138" not in s for s in shown)


def test_the_mask_hides_length_and_prefix():
    assert mask_value(Mask.PHONE, "+8613800138000") == mask_value(Mask.PHONE, "13800138000")
    assert mask_value(Mask.PHONE, "+8613800138000") == "****8000"
    assert mask_value(Mask.PHONE, "8000") == "****"  # a fragment would be revealed whole
    assert (
        mask_value(Mask.EMAIL, "a@x.cn") == mask_value(Mask.EMAIL, "abcdefgh@x.cn")[0] + "****@x.cn"
    )
    assert mask_value(Mask.EMAIL, "abcdefgh@x.cn") == "a****@x.cn"
    assert mask_value(Mask.WHOLE, "310101198003041234") == "****"
    assert mask_value(Mask.DATE, "1980-03-04") == "****-**-**"
    assert mask_value(Mask.PHONE, "") == ""
