"""Deadlines across the Spring Festival week, computed by hand from the State Council's
schedules (working day 09:00–18:00, 9 hours):

* 2024: off 10–17 Feb; Sun 4 Feb and Sun 18 Feb worked; the eve (Fri 9 Feb) is a working day.
* 2025: off Tue 28 Jan – Tue 4 Feb; Sun 26 Jan and Sat 8 Feb worked.
* 2026: off Sun 15 Feb – Mon 23 Feb; Sat 14 Feb and Sat 28 Feb worked.
"""

from __future__ import annotations

import pytest

from tests.service.conftest import deadline

CASES = [
    # Mon 17:30–18:00 = 0.5 h; 28 Jan – 4 Feb off; Wed 5 Feb 09:00 + 0.5 h.
    ("2025-01-27 17:30", "1", "2025-02-05 09:30"),
    # Fri 10–18 = 8 h; Sat off; Sun 26 Jan is worked: 09:00 + 8 h.
    ("2025-01-24 10:00", "16", "2025-01-26 17:00"),
    # Starts on a holiday: counting starts Wed 5 Feb 09:00; 9 h end exactly at 18:00.
    ("2025-01-30 10:00", "9", "2025-02-05 18:00"),
    # Fri 15–18 = 3 h; Sat 8 Feb is worked: 09:00 + 2 h.
    ("2025-02-07 15:00", "5", "2025-02-08 11:00"),
    # Thu 14–18 = 4 h; Fri 9 Feb 9 h (13); 10–17 Feb off; Sun 18 Feb worked: 09:00 + 7 h.
    ("2024-02-08 14:00", "20", "2024-02-18 16:00"),
    # Fri 17–18 = 1 h; Sat 14 Feb is worked: 09:00 + 2 h.
    ("2026-02-13 17:00", "3", "2026-02-14 11:00"),
    # Starts on the make-up Saturday: 16–18 = 2 h; 15–23 Feb off; Tue 24 Feb 09:00 + 2 h.
    ("2026-02-14 16:00", "4", "2026-02-24 11:00"),
]


@pytest.mark.parametrize(("start", "hours", "expected"), CASES)
def test_spring_festival_week(start, hours, expected):
    assert deadline(start, hours) == (expected, "")
