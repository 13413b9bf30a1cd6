"""Text normalisation shared by search, validation and import: simplified script, pinyin,
phones in E.164. Plain Python, no Django."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.constants import PHRASES_DICT, RE_HANS

from kehu.analytics.chinese import t2s

_SPACE_PUNCT = re.compile(r"[\s\-_.,，。·・'\"()（）/\\]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


@lru_cache(maxsize=65536)
def simplify(text: str) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    if has_han(text):
        text = t2s(text)
    return text.lower().strip()


def compact(text: str) -> str:
    return _SPACE_PUNCT.sub("", simplify(text))


@lru_cache(maxsize=65536)
def pinyin_forms(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of the Han characters in ``text``, toneless, no spaces."""
    simple = compact(text)
    if not has_han(simple):
        return "", ""
    syllables = _syllables(simple)
    return "".join(syllables), "".join(s[0] for s in syllables)


# Longest phrase pypinyin's segmenter is asked about in the fast path below, and the
# (start, end) of every substring of two characters or more, by length of the text.
_SHORT = 8
_SPANS = [[(i, j) for i in range(n) for j in range(i + 2, n + 1)] for n in range(_SHORT + 1)]
_PHRASES = PHRASES_DICT.keys()


def pinyin_syllables(simple: str) -> list[str]:
    """The pinyin syllables of a text in simplified characters (no tones, no empty ones):
    "上海启明" → ["shang", "hai", "qi", "ming"]. The search keys read names with it."""
    return _syllables(simple)


def _syllables(simple: str) -> list[str]:
    """``lazy_pinyin(simple, errors="ignore")`` without its empty syllables. pypinyin
    segments the text into the phrases of its dictionary and reads the rest character by
    character; a short all-Han string (a name) holding no dictionary phrase is therefore
    read character by character, which a per-character cache answers many times faster
    than segmenting (tests compare both paths on thousands of names; figures in
    bench/README.md)."""
    n = len(simple)
    if n <= _SHORT and RE_HANS.match(simple):
        words = [simple[i:j] for i, j in _SPANS[n]]
        if _PHRASES.isdisjoint(words):
            readings = [_char_syllable(ch) for ch in simple]
            if all(readings):
                return readings
    return [s for s in lazy_pinyin(simple, errors="ignore") if s.strip()]


@lru_cache(maxsize=32768)
def _char_syllable(char: str) -> str:
    """The one syllable pypinyin reads ``char`` as on its own; '' when it has none."""
    found = [s for s in lazy_pinyin(char, errors="ignore") if s.strip()]
    return found[0] if len(found) == 1 else ""


@lru_cache(maxsize=8192)
def _reading(char: str) -> str:
    return lazy_pinyin(char)[0]


@lru_cache(maxsize=8192)
def surname_readings(char: str) -> tuple[str, ...]:
    if not has_han(char):
        return ()
    return tuple(pinyin(char, heteronym=True, style=Style.NORMAL)[0])


def name_keys(*names: str) -> set[str]:
    """Every form a user may type to find this name: simplified, pinyin, initials, and for
    Latin names the tokens in any order (``Wei Zhang`` / ``Zhang Wei``)."""
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        base = compact(name)
        if base:
            keys.add(base)
        full, initials = pinyin_forms(name)
        if full:
            keys.add(full)
            keys.add(initials)
            # Surnames often read differently from the common word (曾 zeng, not ceng;
            # 单 shan): every reading of the first character is indexed.
            first = base[0]
            common = _reading(first)
            rest_full = full[len(common) :]
            for reading in surname_readings(first) if full.startswith(common) else ():
                keys.add(reading + rest_full)
                keys.add(reading[0] + initials[1:])
        tokens = [compact(t) for t in re.split(r"\s+", simplify(name)) if t and not has_han(t)]
        tokens = [t for t in tokens if t]
        if len(tokens) > 1:
            keys.add("".join(reversed(tokens)))
            keys.update(t for t in tokens if len(t) > 1)
    return {k[:190] for k in keys if k}


_CN_MOBILE = re.compile(r"(?:\+?86|0086)?(1\d{10})")
_PHONE_PUNCT = re.compile(r"[\s\-().]+")


# Digits of a Chinese mobile number that decide whether it is valid: the metadata's
# mobile pattern branches on at most the first five (1740[0-5], 1610, 13x …) and ends in
# "any digit"; tests compare the answers with phonenumbers on every five-digit prefix.
CN_DECIDING_DIGITS = 5


@lru_cache(maxsize=1 << 14)
def _cn_mobile_prefix_valid(prefix: str) -> bool:
    # Asking phonenumbers once per prefix gives its answer for every number with it, at
    # a fraction of the cost of parsing each one (phonenumbers.parse is slow: see
    # bench/README.md).
    try:
        number = phonenumbers.parse(prefix + "0" * (11 - len(prefix)), "CN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def phone_e164(raw: str, region: str = "CN") -> str | None:
    """E.164 form of a phone number in any common format, or None if it is not valid."""
    if not raw or not raw.strip():
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if region == "CN":
        mobile = _CN_MOBILE.fullmatch(_PHONE_PUNCT.sub("", text))
        if mobile:
            digits = mobile.group(1)
            valid = _cn_mobile_prefix_valid(digits[:CN_DECIDING_DIGITS])
            return "+86" + digits if valid else None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str, region: str = "CN") -> str:
    """Local format for numbers of the home region, international for the rest."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=65536)
def national_digits(e164: str) -> str:
    # Chinese numbers need no second parse: +86 is followed by the national number.
    if e164.startswith("+86"):
        return e164[3:]
    try:
        return str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", e164)
