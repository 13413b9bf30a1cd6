"""``kehu pool release [--days N] [--limit N] [--schedule]``: put back into the public pool (公海) the
customers whose owner has logged no contact with them for N days (default ``KEHU_POOL_DAYS``,
30) and has owned them that long. Prints ``released N``. Each move is an owner period and an
audit event (by "system"). Run it nightly from cron, or ``--schedule`` once to have the worker
run it every day (kehu.customers.tasks). Bad input ends with
one ``CommandError: …`` line and exit code 2."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kehu.core.commands import ContractParser, bad_input


def release_parser() -> ContractParser:
    parser = ContractParser(
        prog="kehu pool release", description="Return unfollowed customers to the pool."
    )
    parser.add_argument("--days", type=int, default=None, help="days without follow-up")
    parser.add_argument("--limit", type=int, default=10_000, help="at most this many per run")
    parser.add_argument(
        "--schedule", action="store_true", help="start the worker's nightly release instead"
    )
    return parser


class Command(BaseCommand):
    help = "The public pool: kehu pool release [--days N] [--limit N]"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", default="")
        parser.add_argument("rest", nargs="*")
        parser.add_argument("--days", default=None)
        parser.add_argument("--limit", default=None)
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from kehu.customers import services

        if options["action"] != "release":
            raise bad_input("kehu pool: the action must be 'release'")
        argv = list(options["rest"])
        for name in ("days", "limit"):
            if options[name] is not None:
                argv += [f"--{name}", str(options[name])]
        ns = release_parser().parse_args(argv + (["--schedule"] if options["schedule"] else []))
        if ns.schedule:
            from kehu.customers import tasks

            when = tasks.schedule_next()
            self.stdout.write(f"scheduled {when:%Y-%m-%d %H:%M}" if when else "already scheduled")
            return
        if ns.days is not None and not 1 <= ns.days <= 3650:
            raise bad_input("kehu pool release: --days must be between 1 and 3650")
        if not 1 <= ns.limit <= 1_000_000:
            raise bad_input("kehu pool release: --limit must be between 1 and 1000000")
        moved = services.customers_release_to_pool(days=ns.days, limit=ns.limit)
        self.stdout.write(f"released {moved}")
