"""The data-quality pages speak the user's language: Simplified Chinese or English."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import login


def test_pages_in_chinese_and_english(client, org):
    login(client, org.mia)
    org.mia.profile.language = "zh-hans"
    org.mia.profile.save()
    assert "数据质量" in client.get(reverse("quality:home")).content.decode()
    assert "疑似重复客户" in client.get(reverse("quality:duplicates")).content.decode()

    org.mia.profile.language = "en"
    org.mia.profile.save()
    assert "Possible duplicates" in client.get(reverse("quality:duplicates")).content.decode()
