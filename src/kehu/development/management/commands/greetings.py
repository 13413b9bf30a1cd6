"""``kehu greetings [--on YYYY-MM-DD] [--days N]``: the nightly job writing birthday and
special-day greeting tasks (kehu.development.greetings) onto the owners' due lists."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kehu.development import greetings


class Command(BaseCommand):
    help = "Generate birthday and special-day greeting tasks (solar and lunar dates)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", default="", help="first day (default today), YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=greetings.DEFAULT_DAYS_AHEAD)

    def handle(self, *args, **options) -> None:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError:
            raise CommandError("--on must be a date, YYYY-MM-DD") from None
        if not 0 <= options["days"] <= 366:
            raise CommandError("--days must be 0 to 366")
        created = greetings.generate(on=on, by=None, days_ahead=options["days"])
        self.stdout.write(f"{len(created)} greeting tasks written ({on} + {options['days']} days)")
