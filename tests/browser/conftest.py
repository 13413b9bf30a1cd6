"""Real-browser tests: Debian's Chromium driven by Playwright against the live test server.

They are skipped when Chromium is missing, unless KEHU_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure. Playwright never downloads a browser of its own here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KEHU_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise
# refuse to run next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One xdist worker drives the browser: two Chromiums on two cores starve each other.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    required = os.environ.get("KEHU_REQUIRE_BROWSER") == "1"
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"KEHU_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright not installed")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    # Import every view (and the analytics libraries behind them) before the first request:
    # the live server would otherwise spend the page's timeout loading them on a busy machine.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    external: list[str] = []

    def _route(route):
        url = route.request.url
        if url.startswith(live_server.url) or url.startswith("data:"):
            return route.continue_()
        external.append(url)
        return route.abort()

    # Pages must work offline: any request leaving the test server fails the test.
    context.route("**/*", _route)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
    assert not external, f"page requested outside hosts: {external}"


def login(page, username: str, password: str = "password-for-tests") -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/customers/**")
