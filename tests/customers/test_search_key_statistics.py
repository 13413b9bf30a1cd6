"""PostgreSQL keeps a finer histogram of the search keys (migration 0017), so that it knows
how many keys a prefix such as n:zhang% matches and joins them with a partner's shares by
hashing instead of sorting them all on disk (bench/README.md, the search benchmark)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_key_column_has_a_finer_histogram():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'customers_searchkey'::regclass AND attname = 'key'"
        )
        assert cursor.fetchone()[0] == 1000
