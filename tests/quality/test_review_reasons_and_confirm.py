"""The review queue asks before merging (data-confirm, no inline script), says why two records
may be the same in plain words in both languages, and shows phones in the local format."""

from __future__ import annotations

import pytest

from kehu.customers import services
from kehu.quality.models import DuplicatePair

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "fields": [
        {"field": "phone", "level": "exact", "weight": 9.0},
        {"field": "name", "level": "same pinyin", "weight": 5.0},
        {"field": "address", "level": "bigram Jaccard >= 0.9", "weight": 4.0},
    ]
}


@pytest.fixture
def pair(org):
    one = services.customer_create(
        by=org.alice, owner=org.alice, name="陈晓东", phone="+8613967830305", address="臺北路12號"
    )
    two = services.customer_create(
        by=org.alice,
        owner=org.alice,
        name="Chen Xiaodong",
        phone="+8613967830305",
        address="台北路12号",
    )
    a, b = sorted((one.pk, two.pk))
    return DuplicatePair.objects.create(
        customer_a_id=a, customer_b_id=b, probability=0.97, evidence=EVIDENCE
    )


def page(client, org, language: str) -> str:
    client.force_login(org.mia)
    client.cookies["django_language"] = language
    return client.get("/quality/duplicates/").content.decode()


def test_reasons_in_plain_english(client, org, pair):
    body = page(client, org, "en")
    for reason in ("same phone", "name in pinyin", "same address in traditional characters"):
        assert reason in body
    assert "bigram Jaccard" not in body and "same pinyin" not in body


def test_reasons_in_chinese(client, org, pair):
    body = page(client, org, "zh-hans")
    for reason in ("电话相同", "姓名拼音相同", "地址相同（繁体字）"):
        assert reason in body
    assert "same phone" not in body
    assert "将被归档" in body  # the confirmation, translated


def test_merge_buttons_ask_first(client, org, pair):
    body = page(client, org, "en")
    assert body.count('data-action="merge"') == 2
    assert body.count('data-confirm="Merge ') >= 2
    assert "onclick" not in body


def test_phone_in_the_local_format(client, org, pair):
    body = page(client, org, "en")
    assert "139 6783 0305" in body
    assert "+8613967830305" not in body
