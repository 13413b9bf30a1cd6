"""``kehu service``: service-desk calculations from the command line.

``kehu service deadline --start "YYYY-MM-DD HH:MM" --business-hours N [--calendar CN|none]``
prints the deadline ``N`` business hours after the start as ``YYYY-MM-DD HH:MM`` on its last
line: working days 09:00–18:00, on China's official working days by default (public holidays
off, make-up working weekend days on; ``none``: Monday to Friday). ``N`` may be fractional
(``2.5``) and is counted to the minute (rounded half up). A year without official holiday data
counts weekends only and says so in a ``warning:`` line on stderr. Bad input ends with one
``CommandError: …`` line and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand

from kehu.core.commands import ContractParser, bad_input

ACTIONS = ("deadline",)


def deadline_parser() -> argparse.ArgumentParser:
    parser = ContractParser(
        prog="kehu service deadline",
        description="The moment N business hours after a start, on a working calendar.",
    )
    parser.add_argument("--start", required=True, help='"YYYY-MM-DD HH:MM" (local time)')
    parser.add_argument("--business-hours", required=True, help="N business hours, e.g. 8 or 2.5")
    parser.add_argument(
        "--calendar",
        default="CN",
        help="CN: China's official working days (default); none: Monday to Friday",
    )
    return parser


START_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_start(text: str) -> dt.datetime:
    for fmt in START_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise bad_input(f"--start {text!r}: expected a local time as YYYY-MM-DD HH:MM")


def parse_hours(text: str) -> Decimal:
    try:
        hours = Decimal(text.strip())
    except InvalidOperation:
        hours = Decimal("NaN")
    if not hours.is_finite() or hours < 0:
        raise bad_input(f"--business-hours {text!r}: expected a number of hours ≥ 0, e.g. 8 or 2.5")
    # To the minute: the deadline is printed to the minute and the working day starts on one.
    minutes = (hours * 60).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    return minutes / 60


class Command(BaseCommand):
    help = (
        'Service desk. deadline --start "YYYY-MM-DD HH:MM" --business-hours N '
        "[--calendar CN|none]. See 'kehu service deadline --help'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=ACTIONS)
        # Everything after the action goes to that action's own parser.
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        from kehu.core import workcalendar as W

        parsed = deadline_parser().parse_args(list(options["rest"]))
        start = parse_start(parsed.start)
        hours = parse_hours(parsed.business_hours)
        try:
            calendar = W.by_name(parsed.calendar)
            deadline = calendar.add_business_hours(start, hours)
        except W.CalendarError as exc:
            raise bad_input(str(exc)) from exc
        missing = calendar.years_without_data(start.date(), deadline.date())
        if missing and calendar.known_years:
            years = _ranges(missing)
            first, last = min(calendar.known_years), max(calendar.known_years)
            self.stderr.write(
                f"warning: no official holiday schedule for {years} (data covers "
                f"{first}–{last}); counted weekends only there"
            )
        self.stdout.write(deadline.strftime("%Y-%m-%d %H:%M"))


def _ranges(years: list[int]) -> str:
    """``[2027, 2028, 2029, 2031]`` as ``2027–2029, 2031``."""
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
