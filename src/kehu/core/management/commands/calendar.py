"""``kehu calendar``: the calendar of special days.

``kehu calendar special-days --year YYYY [--lang both|en|zh-Hans]`` prints one line per special
day of the year, ``YYYY-MM-DD name``, sorted by date (days sharing a date in a fixed order):
the lunar festivals (Spring Festival, Lantern, Dragon Boat, Qixi, Mid-Autumn, Double Ninth,
Laba, Little New Year, Chinese New Year's Eve), Qingming and the Winter Solstice, and the
fixed-date days (see ``kehu.core.specialdays``). By default each name is given in English
and Simplified Chinese (``2025-01-29 Spring Festival 春节``), so a reader or a script looking
for either finds it; ``--lang en`` or ``--lang zh-Hans`` gives one language. A year outside
1901–2099 ends with one ``CommandError: …`` line and exit code 2. (Where the output cannot
carry Chinese, an ASCII-only terminal, the default is English.)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand

from kehu.core.commands import ContractParser, bad_input

ACTIONS = ("special-days",)


def special_days_parser() -> argparse.ArgumentParser:
    from kehu.core.specialdays import LANGUAGES, MAX_YEAR, MIN_YEAR

    parser = ContractParser(
        prog="kehu calendar special-days",
        description="The special days of a year: lunar festivals, Qingming, fixed-date days.",
    )
    parser.add_argument("--year", required=True, help=f"YYYY, {MIN_YEAR}–{MAX_YEAR}")
    parser.add_argument(
        "--lang",
        default=None,
        choices=LANGUAGES,
        help="names in English, Simplified Chinese, or both (default)",
    )
    return parser


def parse_year(text: str) -> int:
    from kehu.core.specialdays import MAX_YEAR, MIN_YEAR, YearError, check_year

    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise bad_input(f"--year {text!r}: expected a four-digit year, {MIN_YEAR}–{MAX_YEAR}")
    try:
        return check_year(int(value))
    except YearError as exc:
        raise bad_input(f"--year {text!r}: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Special days. special-days --year YYYY [--lang both|en|zh-Hans]. "
        "See 'kehu calendar special-days --help'."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=ACTIONS)
        # Everything after the action goes to that action's own parser.
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        from kehu.core.specialdays import special_days

        parsed = special_days_parser().parse_args(list(options["rest"]))
        year = parse_year(parsed.year)
        out = getattr(self.stdout, "_out", sys.stdout)
        lang = parsed.lang or default_language(out)
        for day in special_days(year):
            out.write(f"{day.date.isoformat()} {day.name(lang)}\n")


def default_language(stream: Any) -> str:
    """Both languages, unless the output cannot carry Chinese (an ASCII-only terminal)."""
    try:
        "春节".encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return "en"
    return "both"
