"""The PostgreSQL round trip: pg_dump custom format, pg_restore into a new, empty
database, every table compared row for row. Databases of its own, dropped at the end."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from tests.core.test_backup_roundtrip import build_demo, kehu, sorted_rows

pytestmark = pytest.mark.postgres


def _url(base: str, name: str) -> str:
    return urlunparse(urlparse(base)._replace(path=f"/{name}"))


def _admin(base: str) -> Any:
    import psycopg

    return psycopg.connect(_url(base, "postgres"), autocommit=True)


def _tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {n: sorted_rows(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}  # noqa: S608


def test_backup_roundtrip_postgres(tmp_path):
    base = os.environ.get("KEHU_TEST_POSTGRES")
    if not base:
        pytest.skip("KEHU_TEST_POSTGRES is not set")
    names = [f"kehu_backup_src_{os.getpid()}", f"kehu_backup_dst_{os.getpid()}"]
    with _admin(base) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        var = tmp_path / "var"
        source, target = _url(base, names[0]), _url(base, names[1])
        build_demo(source, var)
        dump = tmp_path / "backup.dump"
        done = kehu(["backup", "--output", str(dump)], database_url=source, var=var)
        assert f"-> {dump}" in done.stdout
        assert dump.read_bytes()[:5] == b"PGDMP"
        kehu(["restore", str(dump)], database_url=target, var=var)
        before, after = _tables(source), _tables(target)
        assert before.keys() == after.keys() and len(before) > 40
        for table, rows in before.items():
            assert after[table] == rows, table
        assert len(before["customers_customer"]) >= 50
    finally:
        with _admin(base) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
