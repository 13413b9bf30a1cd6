"""Lunar birthdays for greetings: kept on the 29th when the month has no 30th, and in the
ordinary month when the person was born in a leap month."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core.specialdays import lunar_anniversary, lunar_to_solar


def test_lunar_birthday_on_the_same_lunar_date():
    # Born 2025-01-29, the first day of lunar 2025: the birthday is each Spring Festival.
    assert lunar_anniversary(dt.date(2025, 1, 29), 2026) == dt.date(2026, 2, 17)


def test_thirtieth_falls_back_to_the_twenty_ninth():
    # 2024-02-09 was the 30th of the 12th month; lunar 2024's 12th month has 29 days.
    assert lunar_anniversary(dt.date(2024, 2, 9), 2024) == dt.date(2025, 1, 28)
    with pytest.raises(ValueError, match="29 days"):
        lunar_to_solar(2024, 12, 30)


def test_leap_month_birthday_kept_in_the_ordinary_month():
    # 2023-03-22 was the 1st of the leap 2nd month of lunar 2023.
    assert lunar_to_solar(2023, 2, 1, leap=True) == dt.date(2023, 3, 22)
    assert lunar_anniversary(dt.date(2023, 3, 22), 2025) == dt.date(2025, 2, 28)
