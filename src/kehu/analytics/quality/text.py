"""Text primitives shared by the normalisers: missing values, width folding,
traditional -> simplified Chinese.

OpenCC's pure-Python converter is slow-ish, so :func:`t2s` first checks whether
the string contains any character a t2s dictionary entry actually changes; if
not, conversion is the identity and is skipped.  That makes the common (already
simplified) case ~10x cheaper while giving exactly OpenCC's output.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any

from opencc import OpenCC

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


def _read_opencc(name: str) -> list[tuple[str, str]]:
    import opencc as _opencc_pkg

    path = Path(_opencc_pkg.__file__).parent / "dictionary" / name
    entries = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            entries.append((key, values.split(" ")[0]))  # OpenCC uses the first value
    return entries


def _trigger_chars(entries: list[tuple[str, str]]) -> frozenset[str]:
    """Characters that some t2s dictionary entry actually changes.

    For every entry whose value differs from its key we collect the characters
    at the differing positions (all characters if the lengths differ).  A
    string containing none of them can only match identity entries, so t2s
    leaves it unchanged.
    """
    chars: set[str] = set()
    for key, value in entries:
        if key == value:
            continue
        if len(key) == len(value):
            chars.update(k for k, v in zip(key, value, strict=True) if k != v)
        else:
            chars.update(key)
    return frozenset(chars)


_T2S = OpenCC("t2s")
_CHARACTERS = _read_opencc("TSCharacters.txt")  # single-character keys only
_PHRASES = _read_opencc("TSPhrases.txt")
_TRAD_CHARS = _trigger_chars(_CHARACTERS + _PHRASES)
# OpenCC converts by longest match over phrases, then characters.  When no
# phrase key occurs in the string, that is exactly a per-character mapping, which
# str.translate does in C; tests compare both paths with OpenCC.
_PHRASE_RE = re.compile(
    "|".join(sorted((re.escape(k) for k, _ in _PHRASES), key=len, reverse=True))
)
_CHAR_TABLE = str.maketrans({k: v for k, v in _CHARACTERS if k != v})


def t2s(text: str) -> str:
    """Traditional -> simplified Chinese, with exactly OpenCC ``t2s``'s output."""
    if _TRAD_CHARS.isdisjoint(text):
        return text
    if _PHRASE_RE.search(text) is None:
        return text.translate(_CHAR_TABLE)
    return _T2S.convert(text)


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
