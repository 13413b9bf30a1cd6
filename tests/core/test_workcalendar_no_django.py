"""The working calendar and the special days are plain Python: the SLA engine, greeting jobs
and analytics can use them without Django."""

from __future__ import annotations

import subprocess
import sys


def test_calendar_modules_do_not_import_django():
    code = (
        "import sys, datetime as dt\n"
        "from kehu.core import specialdays, workcalendar\n"
        "workcalendar.china().add_business_hours(dt.datetime(2025, 1, 27, 17, 30), 1)\n"
        "specialdays.special_days(2025)\n"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
