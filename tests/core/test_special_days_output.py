"""One line per day, ``YYYY-MM-DD name``, sorted by date, English by default; the fixed-date
and weekday-rule days are there too."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.management import call_command

from tests.core.test_special_days_lunar import lines


def test_format_and_order():
    output = lines(2026)
    assert all(re.fullmatch(r"2026-\d\d-\d\d \S.*", line) for line in output)
    dates = [dt.date.fromisoformat(line[:10]) for line in output]
    assert dates == sorted(dates)
    assert output[0] == "2026-01-01 New Year's Day"
    assert output[-1] == "2026-12-25 Christmas Day"


def test_fixed_and_rule_days():
    output = lines(2025)
    for line in ("2025-03-08 International Women's Day", "2025-05-01 Labour Day",
                 "2025-06-01 Children's Day", "2025-09-10 Teachers' Day",
                 "2025-10-01 National Day", "2025-05-11 Mother's Day",
                 "2025-06-15 Father's Day", "2025-12-21 Winter Solstice"):  # fmt: skip
        assert line in output


def test_days_sharing_a_date_are_both_listed():
    # 2020: the Mid-Autumn Festival fell on National Day.
    output = lines(2020)
    i = output.index("2020-10-01 National Day")
    assert output[i + 1] == "2020-10-01 Mid-Autumn Festival"


def test_default_names_both_languages_on_one_line():
    output = lines(2025, lang=None)
    assert output == lines(2025, lang="both")
    for line in ("2025-01-29 Spring Festival 春节", "2025-02-12 Lantern Festival 元宵节",
                 "2025-05-31 Dragon Boat Festival 端午节", "2025-08-29 Qixi Festival 七夕节",
                 "2025-10-06 Mid-Autumn Festival 中秋节"):  # fmt: skip
        assert line in output


def test_ascii_only_output_defaults_to_english():
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    call_command("calendar", "special-days", "--year", "2025", stdout=stream)
    stream.flush()
    assert "2025-01-29 Spring Festival\n" in raw.getvalue().decode("ascii")
