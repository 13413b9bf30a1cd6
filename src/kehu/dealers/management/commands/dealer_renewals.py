"""``kehu dealer_renewals [--today YYYY-MM-DD]``: tell owners of dealer contracts due for
renewal (once each); for cron, like the other nightly jobs."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kehu.dealers.services import remind_renewals


class Command(BaseCommand):
    help = "Notify the owners of dealer contracts due for renewal."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to run as (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"--today: not a date: {options['today']!r}") from exc
        told = remind_renewals(today=today)
        self.stdout.write(f"{told} owner(s) told of dealer contract renewals")
