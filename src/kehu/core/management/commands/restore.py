"""``kehu restore FILE [--force]``: put back a ``kehu backup``.

Refuses to write over a database that holds anything unless ``--force``: a restore replaces
everything, and the usual mistake is pointing it at the wrong database. SQLite: the backup
API copies the file's pages over the database. PostgreSQL: ``pg_restore`` (with
``--clean --if-exists`` under ``--force``) in one transaction, so a failed restore leaves
the database as it was.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from kehu.core.management.commands.backup import (
    PAGES_PER_STEP,
    pg_env,
    pg_tool,
    size_text,
    sqlite_counts,
    vendor_of,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def rows_in(alias: str) -> int:
    """How many rows the database holds (0 for a database with no tables)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        total = 0
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            total += cursor.fetchone()[0]
    return total


class Command(BaseCommand):
    help = "Restore a backup made by `kehu backup` (refuses a non-empty database without --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .sqlite3 or .dump file from kehu backup")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        alias, path = opts["database"], Path(opts["file"]).resolve()
        vendor = vendor_of(alias)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with path.open("rb") as file:
            magic = file.read(16)
        expected = SQLITE_MAGIC if vendor == "sqlite" else PGDUMP_MAGIC
        if not magic.startswith(expected):
            kind = "a SQLite database" if vendor == "sqlite" else "a pg_dump custom-format file"
            raise CommandError(f"{path} is not {kind}, which this {vendor} database needs")
        existing = rows_in(alias)
        if existing and not opts["force"]:
            name = connections[alias].settings_dict["NAME"]
            raise CommandError(
                f"the database {name} holds {existing} rows: restoring replaces them all; "
                "add --force if that is what you want"
            )
        started = dt.datetime.now()
        if vendor == "sqlite":
            self._sqlite(alias, path)
            tables, rows = sqlite_counts(path)
            detail = f"{tables} tables, {rows} rows"
        else:
            self._postgres(alias, path, clean=bool(existing))
            detail = size_text(path.stat().st_size)
        seconds = (dt.datetime.now() - started).total_seconds()
        target = connections[alias].settings_dict["NAME"]
        self.stdout.write(f"restore done in {seconds:.1f} s: {detail} from {path} -> {target}")

    def _sqlite(self, alias: str, path: Path) -> None:
        connection = connections[alias]
        connection.ensure_connection()

        def progress(status: int, remaining: int, total: int) -> None:
            self.stderr.write(f"\rcopied {total - remaining}/{total} pages", ending="")

        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection, pages=PAGES_PER_STEP, progress=progress)
        finally:
            source.close()
        self.stderr.write("")

    def _postgres(self, alias: str, path: Path, *, clean: bool) -> None:
        connection = connections[alias]
        settings_dict = connection.settings_dict
        connection.close()  # pg_restore --clean needs the tables free of our locks
        command = [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
        ]
        if clean:
            command += ["--clean", "--if-exists"]
        self.stderr.write(f"pg_restore into {settings_dict['NAME']} …")
        result = subprocess.run(
            [*command, str(path)],
            env=pg_env(settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
