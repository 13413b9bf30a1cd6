"""Traditional -> simplified Chinese with exactly OpenCC ``t2s``'s output, fast.

OpenCC's pure-Python converter is slow for the millions of names an import or a duplicate
run converts, so :func:`t2s` first checks whether the string contains any character a t2s
dictionary entry actually changes; if not, conversion is the identity and is skipped, at a
small fraction of the cost (figures: bench/README.md). Shared by the
duplicate matcher and the Django side's search keys; imports nothing heavier than OpenCC.
"""

from __future__ import annotations

import re
from pathlib import Path

from opencc import OpenCC

__all__ = ["t2s"]


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
