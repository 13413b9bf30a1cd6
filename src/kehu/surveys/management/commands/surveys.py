"""``kehu surveys send [--schedule] [--batch N]``: invite the customers due an NPS survey and
the buyers of the last days (kehu.surveys.schedule) once and print ``nps N, purchases N``;
``--schedule`` starts the worker's daily chain instead (kehu.surveys.tasks)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kehu.core import audit
from kehu.surveys import schedule, tasks


class Command(BaseCommand):
    help = "Send the surveys due (NPS on its schedule, CSAT after purchases)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["send"])
        parser.add_argument("--schedule", action="store_true", help="start the daily worker chain")
        parser.add_argument("--batch", type=int, default=schedule.DEFAULT_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1")
        if options["schedule"]:
            when = tasks.schedule_next()
            self.stdout.write(f"next run {when:%Y-%m-%d %H:%M}" if when else "not scheduled")
            return
        with audit.acting_as(None, "cli"):
            result = schedule.send_due(batch=options["batch"])
        self.stdout.write(f"nps {result.nps}, purchases {result.purchases}")
