"""Bad input to ``kehu service deadline`` is one clear error with exit code 2."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from tests.service.conftest import deadline

CASES = [
    (("2025-03-10 09:00", "2", "--calendar", "US"), "unknown calendar 'US' (known: CN, none)"),
    (("2025-13-10 09:00", "2"), "--start '2025-13-10 09:00': expected a local time"),
    (("10/03/2025 09:00", "2"), "expected a local time as YYYY-MM-DD HH:MM"),
    (("2025-03-10", "2"), "expected a local time as YYYY-MM-DD HH:MM"),
    (("2025-03-10 09:00", "two"), "--business-hours 'two': expected a number of hours"),
    (("2025-03-10 09:00", "-1"), "--business-hours '-1': expected a number of hours ≥ 0"),
    (("2025-03-10 09:00", "nan"), "--business-hours 'nan'"),
    (("2025-03-10 09:00", "1e12"), "business hours must be at most 100,000"),
]


@pytest.mark.parametrize(("args", "message"), CASES)
def test_bad_input(args, message):
    with pytest.raises(CommandError) as excinfo:
        deadline(*args)
    assert excinfo.value.returncode == 2
    assert message in str(excinfo.value)
