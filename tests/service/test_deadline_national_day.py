"""Deadlines across the National Day week, computed by hand from the official schedules:

* 2024: off 1–7 Oct; Sun 29 Sep and Sat 12 Oct worked.
* 2025: off Wed 1 – Wed 8 Oct (with the Mid-Autumn Festival); Sun 28 Sep and Sat 11 Oct worked.
* 2026: off Thu 1 – Wed 7 Oct; Sun 20 Sep and Sat 10 Oct worked.
"""

from __future__ import annotations

import pytest

from tests.service.conftest import deadline

CASES = [
    # Tue 17:30–18:00 = 0.5 h; 1–8 Oct off; Thu 9 Oct 09:00 + 8.5 h.
    ("2025-09-30 17:30", "9", "2025-10-09 17:30"),
    # Fri 12–18 = 6 h; Sat off; Sun 28 Sep worked: 09:00 + 4 h.
    ("2025-09-26 12:00", "10", "2025-09-28 13:00"),
    # Fri 14–18 = 4 h; Sat 11 Oct worked: 09:00 + 2 h.
    ("2025-10-10 14:00", "6", "2025-10-11 11:00"),
    # Mon 16–18 = 2 h; 1–7 Oct off; Tue 8 Oct 09:00 + 0.5 h.
    ("2024-09-30 16:00", "2.5", "2024-10-08 09:30"),
    # Sat 28 Sep 2024 is an ordinary Saturday: Sun 29 Sep worked 09:00 + 3 h.
    ("2024-09-28 10:00", "3", "2024-09-29 12:00"),
    # Wed 9 h; 1–7 Oct off; Thu 8 Oct 9 h, ending exactly at 18:00.
    ("2026-09-30 09:00", "18", "2026-10-08 18:00"),
    # Fri 9 Oct 17:00–18:00 = 1 h; Sat 10 Oct worked: 09:00 + 1 h.
    ("2026-10-09 17:00", "2", "2026-10-10 10:00"),
]


@pytest.mark.parametrize(("start", "hours", "expected"), CASES)
def test_national_day_week(start, hours, expected):
    assert deadline(start, hours) == (expected, "")
