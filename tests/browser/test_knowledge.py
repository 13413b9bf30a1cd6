"""The knowledge base in a real browser, in Chinese: an agent searches the knowledge base and
opens an article, links an article into a ticket reply with the reply form's search, and makes
a draft article from a resolved ticket in one click; then the list, the article and the
editor at phone width (nothing wider than the screen). Screenshots in KEHU_SCREENSHOTS (when
set) for a person to look at."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from kehu.core.models import Profile
from kehu.knowledge.models import Article
from tests.browser.conftest import login
from tests.knowledge.helpers import article, category, resolved_ticket
from tests.service.helpers import ticket

SHOTS = os.environ.get("KEHU_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, (page.url, width)


def _setup(org):
    reverse("knowledge:list")  # load the URL table before the first page (see conftest)
    Profile.objects.filter(user=org.sam).update(language="zh-hans")
    usage, returns = category("产品使用", "Product usage"), category()
    filters = article(org, category=usage, title_zh="滤芯更换步骤（RO-500系列）",
                      title_en="Changing a filter (RO-500 series)",
                      body_zh="1. 关闭进水阀并断电。\n2. 逆时针旋转旧滤芯约90度取下。\n"
                              "3. 装入新滤芯，冲洗5分钟后再饮用。",
                      body_en="1. Close the inlet valve.\n2. Turn the old filter out.")  # fmt: skip
    article(org, category=returns, title_zh="如何申请退货？")
    article(org, category=usage, title_zh="远程诊断：读取设备故障码", visibility="internal")
    return filters


@pytest.mark.django_db(transaction=True)
def test_agent_searches_links_and_makes_an_article(page, org):
    filters = _setup(org)
    open_one = ticket(org, subject="滤芯灯一直亮")
    resolved = resolved_ticket(org)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "sam")

    # Search the knowledge base and open the article.
    page.goto("/knowledge/")
    page.fill("[data-testid=kb-search]", "滤芯")
    page.press("[data-testid=kb-search]", "Enter")
    page.wait_for_url("**/knowledge/?q=*")
    results = page.locator("#kb-results li")
    assert results.count() == 1
    _shot(page, "knowledge-list-zh-1280")
    results.first.locator("a").first.click()
    page.wait_for_url(f"**/knowledge/{filters.pk}/")
    assert "逆时针旋转旧滤芯" in page.inner_text("#kb-body")
    _shot(page, "knowledge-article-zh-1280")

    # Link it in a reply: search in the reply form, insert, the reply's text has the link.
    page.goto(f"/service/{open_one.pk}/")
    page.fill("#reply-form textarea[name=body]", "您好，请参考：")
    page.fill("[data-testid=kb-link-q]", "滤芯")
    page.click("[data-testid=kb-insert]")
    body = page.input_value("#reply-form textarea[name=body]")
    assert body.startswith("您好，请参考：\n滤芯更换步骤（RO-500系列）: http")
    assert f"/knowledge/{filters.pk}/" in body
    _shot(page, "knowledge-reply-link-zh-1280")
    page.click("[data-testid=send-reply]")
    page.wait_for_selector("#thread li.reply")
    assert f"/knowledge/{filters.pk}/" in page.inner_text("#thread")

    # A resolved ticket becomes a draft article in one click, opened for editing.
    page.goto(f"/service/{resolved.pk}/")
    page.click("[data-testid=make-article]")
    page.wait_for_url("**/knowledge/*/edit/")
    assert page.input_value("input[name=title_zh]") == "净水器漏水"
    assert "进水接头密封圈老化" in page.input_value("textarea[name=body_zh]")
    _shot(page, "knowledge-from-ticket-zh-1280")
    page.fill("input[name=title_en]", "Water purifier leaking")
    page.click("[data-testid=save-article]")
    page.wait_for_selector("#kb-title")
    made = Article.objects.get(source_ticket=resolved)
    assert (made.title_en, made.status) == ("Water purifier leaking", "draft")

    # The same pages at phone width.
    page.set_viewport_size({"width": 390, "height": 844})
    for url, name in (("/knowledge/", "knowledge-list-zh-390"),
                      (f"/knowledge/{filters.pk}/", "knowledge-article-zh-390"),
                      (f"/knowledge/{made.pk}/edit/", "knowledge-edit-zh-390"),
                      (f"/service/{open_one.pk}/", "knowledge-reply-link-zh-390")):  # fmt: skip
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        _fits(page)
        _shot(page, name)
