"""``kehu search rebuild``: every customer's search keys recomputed from the record.

Writes keep the keys current one customer at a time; this is for after a change to what
is indexed (``customers.search``), or to repair the table. Migration 0011 runs it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from kehu.customers.models import SearchKey


class Command(BaseCommand):
    help = "Rebuild the customer search keys (kehu search rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="recompute every customer's search keys")

    def handle(self, *args: Any, **opts: Any) -> None:
        from kehu.customers.search_index import rebuild_search_keys

        def progress(keys: int, seconds: float) -> None:
            if opts["verbosity"] > 1:
                self.stderr.write(f"… {keys:,} keys, {seconds:.0f} s")

        # One transaction: a failed rebuild leaves the old keys. Searches wait until it is
        # done (it locks the table: minutes at a million customers, bench/README.md).
        with transaction.atomic():
            written = rebuild_search_keys(progress=progress)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A search reads the keys from the index alone once the table's visibility map
            # is set; without it every key read visits the table too (measured: 3-10×
            # slower on a broad query). Autovacuum would, later; VACUUM can't run in the
            # migration's transaction, so after migration 0011 run this command or VACUUM.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {SearchKey._meta.db_table}")
        self.stdout.write(f"{written:,} search keys written.")
