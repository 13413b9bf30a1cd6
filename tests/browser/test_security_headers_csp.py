"""Under the Content-Security-Policy every main page still works: no CSP violation and no
script error in the console, and the behaviours moved out of inline handlers (language
switch, confirmation, picker) still happen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehu.customers import services
from tests.browser.conftest import login


def watch(page) -> list[str]:
    problems: list[str] = []
    # Thirteen pages in a row on a shared machine: more patience than one click needs.
    page.set_default_timeout(60_000)
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


@pytest.mark.django_db(transaction=True)
def test_main_pages_run_under_the_policy(page, org):
    org.root.is_staff = org.root.is_superuser = True
    org.root.save()
    problems = watch(page)
    login(page, "root")
    urls = [
        reverse("customers:list"),
        reverse("customers:detail", args=[org.customer.pk]),
        reverse("customers:create"),
        reverse("customers:relation_create", args=[org.customer.pk]),
        reverse("insights:report"),
        reverse("quality:home"),
        reverse("imports:list"),
        reverse("profile"),
        reverse("password_change"),
        reverse("two_factor"),
        "/api/v1/docs",
        "/admin/",
        "/admin/auth/user/add/",
    ]
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert not problems, (url, problems)
    # Swagger UI rendered (its script ran).
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert not problems, problems


@pytest.mark.django_db(transaction=True)
def test_moved_handlers_still_work(page, org):
    problems = watch(page)
    login(page, "mia")
    page.goto(reverse("customers:detail", args=[org.customer.pk]))
    # The language switch submits on change, without an inline handler.
    # Wait for each switch's page to load (its deferred kehu.js included) before going on:
    # a click that lands while the next page is still parsing would skip the confirmation.
    with page.expect_navigation(wait_until="load"):
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with page.expect_navigation(wait_until="load"):
        page.select_option("select[name=language]", "en")
    # Declining the archive confirmation leaves the customer alone.
    page.once("dialog", lambda d: d.dismiss())
    page.click("button[data-confirm]")
    org.customer.refresh_from_db()
    assert not org.customer.is_archived
    # The relation picker fills the hidden field.
    target = services.customer_create(by=org.alice, owner=org.alice, name="李娜", city="北京")
    page.goto(reverse("customers:relation_create", args=[org.customer.pk]))
    page.fill("input[name=q]", "李娜")
    page.click(f"button[data-fill-value='{target.pk}']")
    assert page.input_value("#id_other") == str(target.pk)
    assert not problems, problems
