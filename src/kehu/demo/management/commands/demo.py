"""``kehu demo``: build the demo data set (see kehu.demo) and print the demo logins."""

from __future__ import annotations

import datetime as dt
import math

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kehu.customers.models import Customer
from kehu.demo.builder import BATCH, Options, build, demo_present
from kehu.demo.org import DEMO_PASSWORD, existing_logins
from kehu.demo.personas import describe


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "Build a deterministic demo data set: customers with two years of orders, invoices, "
        "service tickets and contacts, teams and dealers, and one login per role "
        f"(password {DEMO_PASSWORD}). Behaviours and their shares:\n" + describe()
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--customers", type=int, default=2_000, help="default 2,000")
        parser.add_argument("--seed", type=int, default=42, help="same seed, same data")
        parser.add_argument("--years", type=int, default=2, help="history length (≥ 2)")
        parser.add_argument(
            "--as-of", type=_date, default=None, help="the demo's 'today' (default: today)"
        )
        parser.add_argument(
            "--orders-per-customer",
            type=float,
            default=None,
            help="average orders per customer over the history (default 5 a year)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help=f"customers generated and written per transaction (default ≤ {BATCH:,})",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when there are customers"
        )

    def handle(self, *args, **opts) -> None:
        if opts["if_empty"] and Customer.objects.exists():
            if opts["verbosity"]:
                self.stdout.write("Customers exist already: no demo data built.")
                self._logins(existing_logins())
            return
        if demo_present():
            raise CommandError(
                "Demo customers are in this database already; build into an empty database."
            )
        if opts["years"] < 2:
            raise CommandError("--years must be at least 2 (lost customers need the history)")
        if opts["customers"] < 1:
            raise CommandError("--customers must be positive")
        n = opts["customers"]
        # Small builds in a few batches so the progress bar moves; big ones in 50,000s.
        batch = opts["batch_size"] or min(BATCH, max(500, math.ceil(n / 20)))
        options = Options(
            customers=n,
            seed=opts["seed"],
            years=opts["years"],
            as_of=opts["as_of"] or timezone.localdate(),
            orders_per_customer=opts["orders_per_customer"],
            batch_size=batch,
        )
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]demo[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=opts["verbosity"] == 0,
        ) as progress:
            task = progress.add_task("customers", total=n)

            def advance(customers: int, orders: int) -> None:
                progress.update(
                    task, completed=customers, description=f"customers, {orders:,} orders"
                )

            report = build(options, on_batch=advance)

        if opts["verbosity"] == 0:
            return
        write = self.stdout.write
        write(
            f"Built {report.customers:,} customers and {report.orders:,} orders "
            f"({report.rows:,} rows) as of {options.as_of} in {report.seconds:.1f} s: "
            f"{report.customers_per_s:,.0f} customers/s, {report.orders_per_s:,.0f} orders/s."
        )
        if opts["verbosity"] > 1:
            for label, count in sorted(report.counts.items()):
                write(f"  {label:28} {count:>12,}")
        self._logins(report.logins)

    def _logins(self, logins: list[tuple[str, str]]) -> None:
        if not logins:
            return
        self.stdout.write("Demo logins (password for all: " + DEMO_PASSWORD + "):")
        for username, role in logins:
            self.stdout.write(f"  {role:24} {username:10} / {DEMO_PASSWORD}")
