"""Cadence arithmetic: months added with month ends clamped, due dates moved off weekends
and official holidays, reviews A daily / B weekly / C monthly, contacts by priority with the
seed's defaults and the configured overrides."""

from __future__ import annotations

import datetime as dt

from kehu.core.workcalendar import WorkCalendar
from kehu.development import cadence

D = dt.date
NO_HOLIDAYS = WorkCalendar(weekend=frozenset())  # every day a working day


def test_add_months_clamps_month_ends():
    assert cadence.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert cadence.add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert cadence.add_months(D(2026, 8, 31), 3) == D(2026, 11, 30)
    assert cadence.add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert cadence.add_months(D(2026, 7, 31), 6) == D(2027, 1, 31)


def test_contact_defaults_by_priority():
    start = D(2026, 3, 10)
    assert cadence.next_contact("A", "call", start, NO_HOLIDAYS) == D(2026, 4, 10)
    assert cadence.next_contact("A", "visit", start, NO_HOLIDAYS) == D(2026, 6, 10)
    assert cadence.next_contact("B", "call", start, NO_HOLIDAYS) == D(2026, 6, 10)
    assert cadence.next_contact("B", "visit", start, NO_HOLIDAYS) == D(2026, 9, 10)
    assert cadence.next_contact("C", "call", start, NO_HOLIDAYS) == D(2026, 9, 10)
    assert cadence.next_contact("C", "visit", start, NO_HOLIDAYS) == D(2027, 3, 10)


def test_review_cadence():
    start = D(2026, 3, 10)
    assert cadence.next_review("A", start, NO_HOLIDAYS) == D(2026, 3, 11)
    assert cadence.next_review("B", start, NO_HOLIDAYS) == D(2026, 3, 17)
    assert cadence.next_review("C", D(2026, 1, 31), NO_HOLIDAYS) == D(2026, 2, 28)


def test_weekends_and_official_holidays_move_to_next_working_day():
    # 2025-09-01 + 1 month = 2025-10-01: National Day week (1-8 October) is off.
    assert cadence.next_contact("A", "call", D(2025, 9, 1)) == D(2025, 10, 9)
    # Saturday 2026-03-14 → Monday.
    assert cadence.next_working_day(D(2026, 3, 14), WorkCalendar()) == D(2026, 3, 16)
    # A make-up working Sunday (2025-09-28, 调休) stays.
    assert cadence.next_working_day(D(2025, 9, 28)) == D(2025, 9, 28)


def test_configured_cadence_overrides_defaults(settings):
    settings.KEHU_CONTACT_CADENCE = {"top": {"call": 2}}
    assert cadence.next_contact("A", "call", D(2026, 3, 10), NO_HOLIDAYS) == D(2026, 5, 10)
    assert cadence.next_contact("A", "visit", D(2026, 3, 10), NO_HOLIDAYS) == D(2026, 6, 10)
