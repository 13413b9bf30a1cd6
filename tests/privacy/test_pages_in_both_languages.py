"""The privacy buttons and the erase page read in Chinese and in English."""

from kehu.core.models import Profile
from tests.conftest import login


def test_pages_in_both_languages(client, org):
    login(client, org.root)
    for language, words in (
        ("zh-hans", ["导出个人数据", "删除个人数据", "此操作无法撤销", "输入客户编号以确认"]),
        (
            "en",
            [
                "Export personal data",
                "Erase personal data",
                "This cannot be undone",
                "Type the customer number",
            ],
        ),
    ):
        Profile.objects.filter(user=org.root).update(language=language)
        detail = client.get(f"/customers/{org.customer.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        erase = client.get(
            f"/privacy/customers/{org.customer.pk}/erase/", HTTP_ACCEPT_LANGUAGE=language
        )
        body = detail.content.decode() + erase.content.decode()
        for word in words:
            assert word in body, (language, word)
