"""Analysts read every customer with personal data masked and cannot change anything."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_analyst_sees_masked_personal_data(client, org):
    client.force_login(org.ana)
    body = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "张伟" in body
    assert "138 0013 8000" not in body and "zhang.wei@example.com" not in body
    assert "z****@example.com" in body


def test_analyst_list_masks_phone(client, org):
    client.force_login(org.ana)
    body = client.get("/customers/").content.decode()
    assert "张伟" in body and "138 0013 8000" not in body


def test_rep_sees_full_data(client, org):
    client.force_login(org.alice)
    body = client.get(f"/customers/{org.customer.pk}/").content.decode()
    assert "138 0013 8000" in body and "zhang.wei@example.com" in body
