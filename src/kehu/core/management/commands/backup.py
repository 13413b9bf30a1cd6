"""``kehu backup [--output FILE]``: a consistent copy of the live database, while it serves.

SQLite: the sqlite3 online-backup API (``Connection.backup``) copies the pages in steps and
restarts a step a writer changed, so the copy is one consistent state without stopping
the site. PostgreSQL: ``pg_dump --format=custom`` reads one snapshot (a repeatable-read
transaction). ``kehu restore`` puts either back.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

PAGES_PER_STEP = 4096  # 16 MB at SQLite's 4 KB pages: a progress line per step


def vendor_of(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for pg_dump / pg_restore: no password on the command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not Path(path).exists():
        raise CommandError(f"{name} not found: install the PostgreSQL client tools")
    return path


def size_text(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def sqlite_counts(path: Path) -> tuple[int, int]:
    """(tables, rows) of a SQLite file, for the summary line."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        rows = sum(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names)  # noqa: S608 (names from the catalogue)
    return len(names), rows


class Command(BaseCommand):
    help = "Back up the database while it runs (SQLite backup API or pg_dump custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="file to write (default: var/backups/…)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")

    def handle(self, *args: Any, **opts: Any) -> None:
        alias = opts["database"]
        vendor = vendor_of(alias)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        suffix = ".sqlite3" if vendor == "sqlite" else ".dump"
        default = Path(settings.VAR_DIR) / "backups" / f"kehu-{stamp}{suffix}"
        output = Path(opts["output"] or default).resolve()
        if output.exists() and not opts["force"]:
            raise CommandError(f"{output} exists: choose another --output or add --force")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        started = dt.datetime.now()
        # Written beside the target and renamed at the end: a failed or killed backup never
        # leaves a file that looks complete.
        try:
            if vendor == "sqlite":
                self._sqlite(alias, partial)
            else:
                self._postgres(alias, partial)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        seconds = (dt.datetime.now() - started).total_seconds()
        size = size_text(output.stat().st_size)
        if vendor == "sqlite":
            tables, rows = sqlite_counts(output)
            detail = f"{tables} tables, {rows} rows, {size}"
        else:
            detail = size
        self.stdout.write(f"backup done in {seconds:.1f} s: {detail} -> {output}")

    def _sqlite(self, alias: str, target: Path) -> None:
        connection = connections[alias]
        connection.ensure_connection()
        source = connection.connection  # the live sqlite3 connection (works for :memory: too)

        def progress(status: int, remaining: int, total: int) -> None:
            done = total - remaining
            self.stderr.write(f"\rcopied {done}/{total} pages", ending="")

        dest = sqlite3.connect(target)
        try:
            source.backup(dest, pages=PAGES_PER_STEP, progress=progress)
            # The copy inherits the live database's WAL mode; a backup is one self-contained
            # file, with no -wal/-shm beside it.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        self.stderr.write("")

    def _postgres(self, alias: str, target: Path) -> None:
        settings_dict = connections[alias].settings_dict
        command = [
            pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            "--verbose",
            settings_dict["NAME"],
        ]
        self.stderr.write(f"pg_dump of {settings_dict['NAME']} …")
        result = subprocess.run(
            command, env=pg_env(settings_dict), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()[-2000:]}")
