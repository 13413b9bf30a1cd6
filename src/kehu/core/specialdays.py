"""Special days of a year: Chinese lunar festivals, solar-term festivals, fixed-date days.

The days a Chinese CRM greets customers on, or plans campaigns and service around:

* **lunar festivals**, on a day of the Chinese lunar calendar: Spring Festival (1/1), Lantern
  Festival (1/15), Dragon Boat Festival (5/5), Qixi (7/7), Mid-Autumn Festival (8/15), Double
  Ninth (9/9), Laba (12/8), Little New Year (12/23, the northern date; the south keeps 12/24),
  and Chinese New Year's Eve (除夕), the last day of the 12th month: the day before the Spring
  Festival, so the 29th or the 30th;
* **solar-term festivals**: Qingming (清明, 4 or 5 April) and the Winter Solstice (冬至);
* **fixed dates**: New Year's Day, Valentine's Day, Women's Day, Labour Day, Youth Day,
  Children's Day, Teachers' Day, National Day, Christmas; and Mother's Day (second Sunday of May)
  and Father's Day (third Sunday of June).

Lunar dates and solar terms come from the ``lunar-python`` package, which computes new moons
and solar longitudes astronomically (VSOP87/ELP, Beijing time), as China's national standard
GB/T 33661-2017 defines the calendar. Table-based converters disagree with it in a few years:
``lunardate`` puts the 1978 Mid-Autumn Festival on 16 September, but that month's new moon fell
on 3 September Beijing time (the full moon, a total lunar eclipse, in the night of 16/17
September), so the festival was on the 17th; and the 寿星 formula puts some 20th-century winter
solstices a day early. A Gregorian year holds the end of one lunar year (Laba, Little New Year,
New Year's Eve) and most of the next, so both are converted. Years 1901–2099 are supported (the
range of the published conversion tables the tests compare with). Each day has an English and
a Simplified Chinese name.

Plain Python (no Django): ``kehu calendar special-days`` prints these, and birthday and
greeting tasks can use :func:`special_days` and :func:`lunar_anniversary`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

MIN_YEAR = 1901
MAX_YEAR = 2099
LANGUAGES = ("en", "zh-Hans", "both")


class YearError(ValueError):
    """A year outside the supported range."""


@dataclass(frozen=True, order=True)
class SpecialDay:
    date: dt.date
    order: int  # keeps days that share a date in a fixed order
    key: str
    name_en: str
    name_zh: str
    kind: str  # "lunar" | "solar_term" | "fixed" | "weekday_rule"

    def name(self, lang: str = "en") -> str:
        if lang == "zh-Hans":
            return self.name_zh
        if lang == "both":
            return f"{self.name_en} {self.name_zh}"
        return self.name_en


# (lunar month, day, key, English, Chinese)
LUNAR = (
    (1, 1, "spring_festival", "Spring Festival", "春节"),
    (1, 15, "lantern_festival", "Lantern Festival", "元宵节"),
    (5, 5, "dragon_boat_festival", "Dragon Boat Festival", "端午节"),
    (7, 7, "qixi_festival", "Qixi Festival", "七夕节"),
    (8, 15, "mid_autumn_festival", "Mid-Autumn Festival", "中秋节"),
    (9, 9, "double_ninth_festival", "Double Ninth Festival", "重阳节"),
    (12, 8, "laba_festival", "Laba Festival", "腊八节"),
    (12, 23, "little_new_year", "Little New Year", "小年"),
)
NEW_YEARS_EVE = ("chinese_new_years_eve", "Chinese New Year's Eve", "除夕")

# (solar term as lunar-python names it, key, English, Chinese)
SOLAR_TERMS = (
    ("清明", "qingming_festival", "Qingming Festival", "清明节"),
    ("冬至", "winter_solstice", "Winter Solstice", "冬至"),
)

# (month, day, key, English, Chinese)
FIXED = (
    (1, 1, "new_years_day", "New Year's Day", "元旦"),
    (2, 14, "valentines_day", "Valentine's Day", "情人节"),
    (3, 8, "womens_day", "International Women's Day", "妇女节"),
    (5, 1, "labour_day", "Labour Day", "劳动节"),
    (5, 4, "youth_day", "Youth Day", "青年节"),
    (6, 1, "childrens_day", "Children's Day", "儿童节"),
    (9, 10, "teachers_day", "Teachers' Day", "教师节"),
    (10, 1, "national_day", "National Day", "国庆节"),
    (12, 25, "christmas_day", "Christmas Day", "圣诞节"),
)

# (month, weekday (Monday 0), nth, key, English, Chinese)
WEEKDAY_RULES = (
    (5, 6, 2, "mothers_day", "Mother's Day", "母亲节"),
    (6, 6, 3, "fathers_day", "Father's Day", "父亲节"),
)


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise YearError(f"year {year} is outside the supported range {MIN_YEAR}–{MAX_YEAR}")
    return year


def lunar_to_solar(year: int, month: int, day: int, *, leap: bool = False) -> dt.date:
    """The Gregorian date of a lunar date (``ValueError`` if that day does not exist)."""
    months = _lunar_months(year)
    wanted = -month if leap else month
    if wanted not in months:
        raise ValueError(f"lunar year {year} has no {'leap ' if leap else ''}month {month}")
    first, length = months[wanted]
    if not 1 <= day <= length:
        raise ValueError(f"lunar {year}/{month} has {length} days")
    return first + dt.timedelta(days=day - 1)


@functools.lru_cache(maxsize=256)
def _lunar_months(year: int) -> dict[int, tuple[dt.date, int]]:
    """Lunar year ``year``'s months (leap months negative): first day and length.

    Cached: lunar-python finds new moons by computation, milliseconds a year, and greeting
    jobs convert one birthday per customer.
    """
    from lunar_python import LunarYear, Solar

    months = {}
    for m in LunarYear.fromYear(year).getMonths():
        if m.getYear() == year:
            s = Solar.fromJulianDay(m.getFirstJulianDay())
            months[m.getMonth()] = (dt.date(s.getYear(), s.getMonth(), s.getDay()), m.getDayCount())
    return months


def spring_festival(year: int) -> dt.date:
    """The first day of lunar year ``year`` (always in January or February of ``year``)."""
    return lunar_to_solar(year, 1, 1)


def special_days(year: int) -> list[SpecialDay]:
    """Every special day of Gregorian ``year``, sorted by date."""
    check_year(year)
    days: list[SpecialDay] = []
    order = 0

    def add(date: dt.date, key: str, en: str, zh: str, kind: str) -> None:
        if date.year == year:
            days.append(SpecialDay(date, order, key, en, zh, kind))

    for month, day, key, en, zh in FIXED:
        order += 1
        add(dt.date(year, month, day), key, en, zh, "fixed")
    for month, weekday, nth, key, en, zh in WEEKDAY_RULES:
        order += 1
        add(_nth_weekday(year, month, weekday, nth), key, en, zh, "weekday_rule")
    for month, day, key, en, zh in LUNAR:
        order += 1
        # The lunar year that starts in `year` and the one before it, whose last month
        # (Laba, Little New Year) falls in January or February of `year`.
        for lunar_year in (year - 1, year):
            add(lunar_to_solar(lunar_year, month, day), key, en, zh, "lunar")
    order += 1
    # The 12th month has 29 or 30 days: the eve is simply the day before the new year.
    add(spring_festival(year) - dt.timedelta(days=1), *NEW_YEARS_EVE, "lunar")
    terms = _solar_terms(year)
    for term, key, en, zh in SOLAR_TERMS:
        order += 1
        add(terms[term], key, en, zh, "solar_term")
    return sorted(days)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def solar_terms(year: int) -> dict[str, dt.date]:
    """The 24 solar terms of Gregorian ``year`` by Chinese name (Beijing dates)."""
    return dict(_solar_terms(year))


@functools.lru_cache(maxsize=256)
def _solar_terms(year: int) -> dict[str, dt.date]:
    from lunar_python import Solar

    terms: dict[str, dt.date] = {}
    # A lunar year's table runs from the December before it to the February after it, and
    # names the terms of the neighbouring years in capitals (DONG_ZHI, …): the tables of the
    # lunar years around mid-year and around 31 December cover the whole Gregorian year.
    for month, day in ((6, 1), (12, 31)):
        table = Solar.fromYmd(year, month, day).getLunar().getJieQiTable()
        for key, solar in table.items():
            if solar.getYear() == year:
                name = _TERM_BY_KEY.get(key, key)
                terms.setdefault(name, dt.date(year, solar.getMonth(), solar.getDay()))
    return terms


_TERM_BY_KEY = {
    "DONG_ZHI": "冬至",
    "XIAO_HAN": "小寒",
    "DA_HAN": "大寒",
    "LI_CHUN": "立春",
    "YU_SHUI": "雨水",
    "JING_ZHE": "惊蛰",
    "DA_XUE": "大雪",
}


def lunar_anniversary(born: dt.date, lunar_year: int) -> dt.date:
    """The Gregorian date of ``born``'s lunar birthday in ``lunar_year``.

    Chinese custom: a birthday in a leap month is kept in the ordinary month of that number,
    and the 30th in a year whose month has 29 days is kept on the 29th.
    """
    from lunar_python import Solar

    lunar = Solar.fromYmd(born.year, born.month, born.day).getLunar()
    month, day = abs(lunar.getMonth()), lunar.getDay()
    try:
        return lunar_to_solar(lunar_year, month, day)
    except ValueError:
        if day == 30:
            return lunar_to_solar(lunar_year, month, 29)
        raise
