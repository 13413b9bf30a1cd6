"""A search runs without parallel workers or JIT on PostgreSQL (search_index._small_queries)
and hands the connection back with its settings as they were — also when it fails."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection

from kehu.customers import search_index, selectors

pytestmark = pytest.mark.django_db


def settings_now() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        workers = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        return workers, cursor.fetchone()[0]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings")


def test_settings_during_and_after_a_search(org, postgres, monkeypatch):
    before = settings_now()
    seen = []
    narrow = search_index._narrow

    def spy(*args, **kwargs):
        seen.append(settings_now())
        return narrow(*args, **kwargs)

    monkeypatch.setattr(search_index, "_narrow", spy)
    list(selectors.customer_list(user=org.mia, filters=selectors.CustomerFilters(q="张伟")))
    assert seen == [("0", "off")]
    assert settings_now() == before


@pytest.mark.django_db(transaction=True)
def test_a_failing_search_reports_its_own_error(org, postgres, monkeypatch):
    """In autocommit (no request transaction) the settings are reset after the error;
    inside a transaction the error aborts it and its rollback undoes the SET."""
    before = settings_now()

    def broken(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")

    monkeypatch.setattr(search_index, "_narrow", broken)
    with pytest.raises(DatabaseError, match="division by zero"):
        list(selectors.customer_list(user=org.mia, filters=selectors.CustomerFilters(q="张伟")))
    assert settings_now() == before
