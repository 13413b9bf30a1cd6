"""kehu backup then kehu restore into a fresh database gives back every table row for row
(SQLite; test_backup_roundtrip_postgres does the same on PostgreSQL).

The commands run as the operator runs them: separate processes on their own database
files, with the demo data (orders, invoices, tickets, audit events …) in them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

KEHU = [sys.executable, "-m", "kehu.cli"]


def kehu(args: list[str], *, database_url: str, var: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEHU_DATABASE_URL": database_url, "KEHU_VAR_DIR": str(var)}
    result = subprocess.run(
        [*KEHU, *args], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def build_demo(database_url: str, var: Path) -> None:
    kehu(["migrate", "-v", "0"], database_url=database_url, var=var)
    kehu(["demo", "--customers", "50", "--seed", "3"], database_url=database_url, var=var)


def sorted_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)


def sqlite_tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {n: sorted_rows(conn.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names}  # noqa: S608


def test_backup_roundtrip_sqlite(tmp_path):
    var = tmp_path / "var"
    source = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    build_demo(source, var)
    backup = tmp_path / "backup.sqlite3"
    done = kehu(["backup", "--output", str(backup)], database_url=source, var=var)
    assert f"-> {backup}" in done.stdout and "rows" in done.stdout
    assert not Path(f"{backup}-wal").exists()  # one self-contained file

    fresh = tmp_path / "fresh.sqlite3"
    done = kehu(["restore", str(backup)], database_url=f"sqlite:///{fresh}", var=var)
    assert "restore done" in done.stdout

    before, after = sqlite_tables(tmp_path / "live.sqlite3"), sqlite_tables(fresh)
    assert before.keys() == after.keys()
    assert len(before) > 40
    for table, rows in before.items():
        assert after[table] == rows, table
    assert len(before["customers_customer"]) >= 50
    assert before["sales_order"] and before["core_auditevent"]
