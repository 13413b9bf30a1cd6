"""What every file Kehu hands out (exports, error files) does to the values it writes."""

from __future__ import annotations

from typing import Any

# A spreadsheet takes text starting with these as a formula (or, for tab and CR, strips
# them and then may): such text is written with a leading apostrophe, shown, never run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a spreadsheet cell that can't be a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
