"""The duplicate review queue shows personal data with the one mask to a role that sees it
masked (when KEHU_MERGE_ROLES lets analysts review), and in full to managers; whether two
values agree is judged before masking."""

from __future__ import annotations

import pytest

from kehu.core.masking import Mask, mask_value
from kehu.customers import services
from kehu.quality.models import DuplicatePair

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(org):
    twin = services.customer_create(
        by=org.alice, owner=org.alice, name="张伟", phone="+8613800138000"
    )
    a, b = sorted((org.customer.pk, twin.pk))
    return DuplicatePair.objects.create(customer_a_id=a, customer_b_id=b, probability=0.9)


def test_analyst_reviewer_sees_masked_phone(client, org, pair, settings):
    settings.KEHU_MERGE_ROLES = ("admin", "manager", "analyst")
    client.force_login(org.ana)
    body = client.get("/quality/duplicates/").content.decode()
    assert mask_value(Mask.PHONE, "+8613800138000") in body
    assert "13800138000" not in body and "zhang.wei@example.com" not in body


def test_manager_sees_full_phone(client, org, pair):
    client.force_login(org.mia)
    body = client.get("/quality/duplicates/").content.decode()
    assert "138 0013 8000" in body  # the local format
