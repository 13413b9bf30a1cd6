"""``kehu service``: service-desk calculations from the command line.

``kehu service deadline --start "YYYY-MM-DD HH:MM" --business-hours N [--calendar CN|none]``
prints the deadline ``N`` business hours after the start as ``YYYY-MM-DD HH:MM`` on its last
line: working days 09:00–18:00, on China's official working days by default (public holidays
off, make-up working weekend days on; ``none``: Monday to Friday). ``N`` may be fractional
(``2.5``) and is counted to the minute (rounded half up). A year without official holiday data
counts weekends only and says so in a ``warning:`` line on stderr. Bad input ends with one
``CommandError: …`` line and exit code 2.

``kehu service intake --eml FILE... | --mbox FILE | --imap HOST --user U [--password-env VAR]
[--folder INBOX] [--port N] [--no-ssl]`` turns e-mails into tickets (kehu.service.intake) and
prints ``created N, threaded N, unmatched N, skipped N``.

``kehu service overdue [--schedule]`` runs the overdue check once (cron: every minute), or
starts the worker's every-minute chain (kehu.service.tasks).

``kehu service proactive [--schedule]`` computes the proactive suggestions once (cron:
nightly), or starts the worker's nightly chain (kehu.service.proactive).
"""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand

from kehu.core.commands import ContractParser, bad_input

ACTIONS = ("deadline", "intake", "overdue", "proactive")


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


def intake_parser() -> argparse.ArgumentParser:
    parser = ContractParser(prog="kehu service intake", description="E-mails into tickets.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--eml", nargs="+", metavar="FILE", help=".eml files")
    source.add_argument("--mbox", metavar="FILE", help="an mbox file")
    source.add_argument("--imap", metavar="HOST", help="an IMAP server (unseen messages)")
    parser.add_argument("--user", default="")
    parser.add_argument("--password-env", default="KEHU_IMAP_PASSWORD",
                        help="the environment variable holding the password")  # fmt: skip
    parser.add_argument("--folder", default="INBOX")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--no-ssl", action="store_true")
    return parser


def overdue_parser() -> argparse.ArgumentParser:
    parser = ContractParser(prog="kehu service overdue", description="The overdue check.")
    parser.add_argument("--schedule", action="store_true", help="start the worker's chain")
    return parser


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
        if options["action"] == "intake":
            return self.intake(list(options["rest"]))
        if options["action"] == "overdue":
            return self.overdue(list(options["rest"]))
        if options["action"] == "proactive":
            return self.proactive(list(options["rest"]))
        return self.deadline(list(options["rest"]))

    def intake(self, rest: list[str]) -> None:
        import os
        from pathlib import Path

        from kehu.service import intake

        parsed = intake_parser().parse_args(rest)
        if parsed.eml:
            missing = [f for f in parsed.eml if not Path(f).is_file()]
            if missing:
                raise bad_input(f"--eml {missing[0]!r}: no such file")
            messages = intake.from_files(Path(f) for f in parsed.eml)
        elif parsed.mbox:
            if not Path(parsed.mbox).is_file():
                raise bad_input(f"--mbox {parsed.mbox!r}: no such file")
            messages = intake.from_mbox(Path(parsed.mbox))
        else:
            if not parsed.user:
                raise bad_input("--imap needs --user")
            messages = intake.from_imap(
                host=parsed.imap,
                user=parsed.user,
                password=os.environ.get(parsed.password_env, ""),
                folder=parsed.folder,
                port=parsed.port,
                ssl=not parsed.no_ssl,
            )
        try:
            result = intake.run(messages)
        except OSError as exc:
            raise bad_input(f"cannot read the mail: {exc}") from exc
        self.stdout.write(result.line())

    def overdue(self, rest: list[str]) -> None:
        parsed = overdue_parser().parse_args(rest)
        if parsed.schedule:
            from kehu.service.tasks import schedule_next

            when = schedule_next()
            self.stdout.write(f"next check at {when.isoformat()}" if when else "already scheduled")
            return
        from kehu.core import audit
        from kehu.service.escalation import check_overdue

        with audit.acting_as(None, "cli"):
            r = check_overdue()
        self.stdout.write(
            f"late first responses {r.response_breached}, escalated {r.escalated}, "
            f"notifications {r.notifications}"
        )

    def proactive(self, rest: list[str]) -> None:
        parser = ContractParser(prog="kehu service proactive",
                                description="The nightly proactive suggestions.")  # fmt: skip
        parser.add_argument("--schedule", action="store_true", help="start the worker's chain")
        parsed = parser.parse_args(rest)
        from kehu.core import audit
        from kehu.service import proactive

        if parsed.schedule:
            when = proactive.schedule_next()
            self.stdout.write(f"next run at {when.isoformat()}" if when else "already scheduled")
            return
        with audit.acting_as(None, "cli"):
            r = proactive.compute()
        made = ", ".join(f"{k} {n}" for k, n in sorted(r.created.items())) or "none"
        self.stdout.write(f"considered {r.considered}, new suggestions: {made}")

    def deadline(self, rest: list[str]) -> None:
        from kehu.core import workcalendar as W

        parsed = deadline_parser().parse_args(rest)
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
