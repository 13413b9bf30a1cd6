"""``kehu calendar special-days`` puts the lunar festivals on their known dates.

Expected dates are the published ones (the Hong Kong Observatory's and Purple Mountain
Observatory's calendars): Spring Festival 2024-02-10, 2025-01-29, 2026-02-17; Mid-Autumn
2024-09-17, 2025-10-06; Dragon Boat 2025-05-31; Qixi 2025-08-29; Lantern 2025-02-12; Chinese
New Year's Eve 2025-01-28 (the 12th month of lunar 2024 had 29 days, so no 30th) and
2024-02-09 (the 12th month of lunar 2023 had 30).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def lines(year: int, *extra: str, lang: str | None = "en") -> list[str]:
    """The command's lines (names in English unless ``lang`` says otherwise; None: default)."""
    out = io.StringIO()
    language = ("--lang", lang) if lang else ()
    call_command("calendar", "special-days", "--year", str(year), *language, *extra, stdout=out)
    return out.getvalue().splitlines()


KNOWN = [
    (2024, "2024-02-10 Spring Festival"),
    (2025, "2025-01-29 Spring Festival"),
    (2026, "2026-02-17 Spring Festival"),
    (2024, "2024-09-17 Mid-Autumn Festival"),
    (2025, "2025-10-06 Mid-Autumn Festival"),
    (2026, "2026-09-25 Mid-Autumn Festival"),
    (2025, "2025-05-31 Dragon Boat Festival"),
    (2026, "2026-06-19 Dragon Boat Festival"),
    (2025, "2025-08-29 Qixi Festival"),
    (2024, "2024-08-10 Qixi Festival"),
    (2025, "2025-02-12 Lantern Festival"),
    (2026, "2026-03-03 Lantern Festival"),
    (2025, "2025-01-28 Chinese New Year's Eve"),
    (2024, "2024-02-09 Chinese New Year's Eve"),
    (2025, "2025-10-29 Double Ninth Festival"),
    (2025, "2025-01-07 Laba Festival"),
    (2025, "2025-01-22 Little New Year"),
    (2024, "2024-04-04 Qingming Festival"),
    (2025, "2025-04-04 Qingming Festival"),
    (2026, "2026-04-05 Qingming Festival"),
    # The new moon of September 1978 fell on the 3rd, Beijing time (the full moon was the
    # total lunar eclipse of the night of 16/17 September): Mid-Autumn was the 17th, where
    # some table-based converters say the 16th.
    (1978, "1978-09-17 Mid-Autumn Festival"),
    # The ends of the range.
    (1901, "1901-02-19 Spring Festival"),
    (2099, "2099-01-21 Spring Festival"),
]


@pytest.mark.parametrize(("year", "line"), KNOWN)
def test_known_dates(year, line):
    assert line in lines(year)


def test_each_lunar_festival_once_a_year():
    names = [line.split(" ", 1)[1] for line in lines(2025)]
    for festival in ("Spring Festival", "Lantern Festival", "Dragon Boat Festival",
                     "Qixi Festival", "Mid-Autumn Festival", "Chinese New Year's Eve"):  # fmt: skip
        assert names.count(festival) == 1


def test_chinese_names():
    zh = lines(2025, lang="zh-Hans")
    for line in ("2025-01-29 春节", "2025-02-12 元宵节", "2025-05-31 端午节", "2025-08-29 七夕节",
                 "2025-10-06 中秋节", "2025-01-28 除夕", "2025-04-04 清明节"):  # fmt: skip
        assert line in zh
