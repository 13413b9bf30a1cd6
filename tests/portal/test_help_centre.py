"""The public knowledge base in the portal (kehu.knowledge's public_articles): published
public articles are listed, searched and read in the reader's language; internal articles
and drafts are neither listed nor readable (404)."""

from __future__ import annotations

import pytest

from kehu.knowledge import services as kb
from kehu.knowledge.models import Article

pytestmark = pytest.mark.django_db

PUBLIC = {"visibility": Article.Visibility.PUBLIC, "status": Article.Status.PUBLISHED}


@pytest.fixture
def articles(org):
    return {
        "public": kb.article_create(by=org.sam, title_zh="热水器如何除垢", title_en="Descaling the heater",
                                    body_zh="每半年除垢一次。", body_en="Descale every six months.", **PUBLIC),
        "other": kb.article_create(by=org.sam, title_zh="发票怎么开", title_en="Invoices",
                                   body_zh="在订单页申请。", body_en="Ask on the order page.", **PUBLIC),
        "internal": kb.article_create(by=org.sam, title_zh="内部：退款审批流程", body_zh="经理审批。",
                                      visibility=Article.Visibility.INTERNAL,
                                      status=Article.Status.PUBLISHED),
        "draft": kb.article_create(by=org.sam, title_zh="草稿：保修政策", body_zh="未定。",
                                   visibility=Article.Visibility.PUBLIC),
    }  # fmt: skip


def test_list_and_search_show_public_articles_only(client, portal, articles):
    client.force_login(portal.wang)
    page = client.get("/portal/help/").content.decode()
    assert "Descaling the heater" in page and "Invoices" in page
    assert "退款审批" not in page and "保修政策" not in page
    found = client.get("/portal/help/", {"q": "heater"}).content.decode()
    assert "Descaling the heater" in found and "Invoices" not in found
    assert "退款审批" not in client.get("/portal/help/", {"q": "退款"}).content.decode()


def test_an_article_is_read_in_the_readers_language(client, portal, articles):
    client.force_login(portal.wang)
    url = f"/portal/help/{articles['public'].pk}/"
    assert "Descale every six months." in client.get(url).content.decode()
    client.cookies["django_language"] = "zh-hans"
    assert "每半年除垢一次。" in client.get(url).content.decode()


@pytest.mark.parametrize("which", ["internal", "draft"])
def test_internal_articles_and_drafts_are_not_found(client, portal, articles, which):
    client.force_login(portal.wang)
    assert client.get(f"/portal/help/{articles[which].pk}/").status_code == 404


def test_the_help_centre_is_for_signed_in_customers(client, articles):
    response = client.get("/portal/help/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
