"""A pytest plugin (loaded by tests/conftest.py): the tests that check published figures on the
data carried here are marked ``paper``, and in CI a skipped ``paper`` test is a failure.

The data is in the repository, so such a test has no reason to skip; if one does (a file
missing from a checkout, a new ``skipif``), CI must say so rather than pass without having
checked the figures. Outside CI a skip stays a skip, so a partial checkout can still run the
rest of the suite.
"""

from __future__ import annotations

import os

import pytest

MARKER = "paper"
# Fixtures that hand a test the carried data: a test that uses one is a paper test.
DATA_FIXTURES = frozenset({"cdnow_path"})


def required() -> bool:
    """True in CI: ``KEHU_REQUIRE_DATA=1``, or ``CI`` set as CI services do."""
    if os.environ.get("KEHU_REQUIRE_DATA") == "1":
        return True
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}: checks published figures on data in tests/data (never skipped in CI)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(MARKER)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    expected = hasattr(report, "wasxfail")  # an xfail is a skipped report too: not ours
    if report.skipped and not expected and item.get_closest_marker(MARKER) and required():
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = (
            f"a {MARKER} test was skipped in CI ({reason}); its data belongs in tests/data"
        )
