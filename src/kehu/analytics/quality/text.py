"""Text primitives shared by the normalisers: missing values, width folding,
traditional -> simplified Chinese.

:func:`t2s` lives in :mod:`kehu.analytics.chinese` (shared with the Django side's
search keys) and is re-exported here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from kehu.analytics.chinese import t2s

__all__ = ["clean_text", "fold_width", "is_missing", "t2s"]

# CJK Unified Ideographs + Extension A + compatibility block; enough for names.
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Anything that is not a letter or digit in any script (\W matches "_" too).
NON_ALNUM_RE = re.compile(r"[\W_]+")

# ---------------------------------------------------------------------------
# Missing values
# ---------------------------------------------------------------------------

# Placeholders that spreadsheets and legacy CRMs write into "empty" cells.  We do
# not include short strings that could be real data (e.g. "na" is a given name).
MISSING_TOKENS = frozenset({"", "nan", "none", "null", "n/a", "-", "--", "—", "无", "未知"})


def is_missing(value: Any) -> bool:
    """True for None, NaN/NA, empty or placeholder strings."""
    if type(value) is str:
        if len(value) > 6:  # the common case: real data, longer than any token
            value = value.strip()
            if len(value) > 4:
                return False
        return value.strip().lower() in MISSING_TOKENS
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA / NaT have no cheaper common test.
    return type(value).__name__ in {"NAType", "NaTType"}


def as_text(value: Any) -> str | None:
    """The cell as a string, or None if it is missing."""
    if is_missing(value):
        return None
    if type(value) is str:
        return value
    if isinstance(value, float) and value.is_integer():
        # CSV readers turn "100080" into 100080.0; keep the digits only.
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------
# Width, script and case folding
# ---------------------------------------------------------------------------


def fold_width(text: str) -> str:
    """Full-width -> half-width (NFKC also maps the ideographic space to ' ')."""
    # NFKC leaves ASCII unchanged; the check is much cheaper than normalising.
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def clean_text(value: Any) -> str | None:
    """NFKC width folding, traditional -> simplified, lower-case, trimmed."""
    text = as_text(value)
    if text is None:
        return None
    text = t2s(fold_width(text)).lower().strip()
    return text or None


def prepared_text(value: Any) -> str | None:
    """Width-folded, simplified, trimmed text with original letter case."""
    text = as_text(value)
    if text is None:
        return None
    text = t2s(fold_width(text)).strip()
    return text or None
