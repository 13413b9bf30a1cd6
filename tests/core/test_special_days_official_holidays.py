"""An independent check: in every year of the official holiday schedules in the
``chinesecalendar`` package (2008–2026, since Qingming and Dragon Boat became holidays), the
Spring Festival, Qingming, Dragon Boat and Mid-Autumn dates computed here are days off."""

from __future__ import annotations

import chinese_calendar

from kehu.core.specialdays import special_days

FESTIVALS = ("spring_festival", "qingming_festival", "dragon_boat_festival", "mid_autumn_festival")


def test_festivals_are_official_days_off():
    for year in range(2008, 2027):
        days = {d.key: d.date for d in special_days(year)}
        for key in FESTIVALS:
            assert not chinese_calendar.is_workday(days[key]), (year, key, days[key])


def test_spring_festival_is_named_so_in_the_schedule():
    for year in range(2004, 2027):
        day = {d.key: d.date for d in special_days(year)}["spring_festival"]
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        assert on_holiday and name == "Spring Festival", (year, day)
