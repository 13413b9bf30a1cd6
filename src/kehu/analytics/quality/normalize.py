"""Field normalisation for duplicate detection.

Every function here takes one raw cell value and returns a canonical string (or
``None`` when the value carries no usable information).  They are deliberately
scalar and side-effect free so that the bulk path (:mod:`.prepare`, which maps
them over the *unique* values of a column) and the single-record path
(:mod:`.candidates`) produce byte-identical keys.

Design notes
------------
* Chinese text is simplified with OpenCC ``t2s``.  The pure-Python OpenCC is
  slow-ish, so we first check whether the string contains any character that
  appears in a t2s dictionary key; if not, conversion is the identity and we
  skip it.  That makes the common (already simplified) case ~10x cheaper while
  giving exactly OpenCC's output.
* Pinyin is looked up per character (cached) instead of through pypinyin's
  phrase segmentation: names are not phrases, and a per-character reading is
  what people type when they romanise a name.  The usual surname readings of
  polyphonic characters (单 Shan, 曾 Zeng ...) are overridden for the first
  character of a name.
* DuckDB's string similarity functions count UTF-8 *bytes*; every key we
  compare with Jaro-Winkler or Levenshtein is therefore ASCII (pinyin, digits,
  e-mail).  Chinese addresses are compared through character-bigram *sets*.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import phonenumbers
from opencc import OpenCC
from pypinyin import lazy_pinyin

__all__ = [
    "address_bigrams",
    "address_compact",
    "clean_text",
    "fold_width",
    "is_missing",
    "NameKeys",
    "email_local_part",
    "name_keys",
    "name_tokens",
    "normalize_birthday",
    "normalize_city",
    "normalize_company",
    "normalize_email",
    "normalize_id_number",
    "normalize_name",
    "normalize_phone",
    "normalize_postcode",
    "pinyin_key",
    "pinyin_key_sorted",
    "surname_key",
    "t2s",
]

# ---------------------------------------------------------------------------
# Missing values
# ---------------------------------------------------------------------------

# Placeholders that spreadsheets and legacy CRMs write into "empty" cells.  We do
# not include short strings that could be real data (e.g. "na" is a given name).
_MISSING_TOKENS = frozenset({"", "nan", "none", "null", "n/a", "-", "--", "—", "无", "未知"})


def is_missing(value: Any) -> bool:
    """True for None, NaN/NA, empty or placeholder strings."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    # pandas.NA / NaT compare weirdly; their str() is enough to recognise them.
    if type(value).__name__ in {"NAType", "NaTType"}:
        return True
    if isinstance(value, str):
        return value.strip().lower() in _MISSING_TOKENS
    return False


def _as_text(value: Any) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        # CSV readers turn "100080" into 100080.0; keep the digits only.
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------------------
# Width, script and case folding
# ---------------------------------------------------------------------------


def fold_width(text: str) -> str:
    """Full-width -> half-width (NFKC also maps the ideographic space to ' ')."""
    return unicodedata.normalize("NFKC", text)


def _opencc_trigger_chars() -> str:
    """Characters that some t2s dictionary entry actually changes.

    For every entry whose value differs from its key we collect the characters
    at the differing positions (all characters if the lengths differ).  A
    string containing none of them can only match identity entries, so t2s
    leaves it unchanged and we can skip the (slow) converter.
    """
    import opencc as _opencc_pkg

    dict_dir = Path(_opencc_pkg.__file__).parent / "dictionary"
    chars: set[str] = set()
    for fname in ("TSCharacters.txt", "TSPhrases.txt"):
        with open(dict_dir / fname, encoding="utf-8") as fh:
            for line in fh:
                key, _, values = line.rstrip("\n").partition("\t")
                value = values.split(" ")[0]
                if key == value:
                    continue
                if len(key) == len(value):
                    chars.update(k for k, v in zip(key, value, strict=True) if k != v)
                else:
                    chars.update(key)
    return "".join(sorted(chars))


_T2S = OpenCC("t2s")
_TRAD_CHARS = frozenset(_opencc_trigger_chars())


def t2s(text: str) -> str:
    """Traditional -> simplified Chinese (OpenCC t2s), skipping plain strings."""
    if _TRAD_CHARS.isdisjoint(text):
        return text
    return _T2S.convert(text)


def clean_text(value: Any) -> str | None:
    """NFKC width folding, traditional -> simplified, lower-case, trimmed."""
    text = _as_text(value)
    if text is None:
        return None
    text = t2s(fold_width(text)).lower().strip()
    return text or None


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

# CJK Unified Ideographs + Extension A + compatibility block; enough for names.
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Split latin text into tokens on anything that is not a letter/digit, and at
# camel-case boundaries ("ZhangWei" -> "Zhang", "Wei").
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD_RE = re.compile(r"[^0-9a-z\u00c0-\u024f]+")
# Anything that is not a letter or digit in any script (\W matches "_" too).
_NON_ALNUM_RE = re.compile(r"[\W_]+")

# Compound (two-character) surnames: their first character must not be read as
# a one-character surname when we derive surname keys.
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "令狐",
        "慕容",
        "尉迟",
        "公孙",
        "夏侯",
        "长孙",
        "宇文",
        "司徒",
        "端木",
        "西门",
        "南宫",
        "独孤",
        "轩辕",
        "呼延",
        "闻人",
        "澹台",
        "公羊",
        "赫连",
        "万俟",
        "申屠",
        "东郭",
        "百里",
        "钟离",
        "太史",
    ]
)
# Surname readings of polyphonic characters (pypinyin's default is the common
# word reading, e.g. 单 -> dan, but as a surname it is Shan).
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "解": "xie",
    "查": "zha",
    "朴": "piao",
    "区": "ou",
    "乐": "yue",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
    "繁": "po",
    "盖": "ge",
    "尉": "yu",
    "员": "yun",
    "种": "chong",
    "长": "zhang",
    "秘": "bi",
    "冼": "xian",
    "召": "shao",
}
# Common romanisations of ü that people type.
_UMLAUT_TOKENS = {"lv": "lu", "lyu": "lu", "nv": "nu", "nyu": "nu", "lve": "lue", "nve": "nue"}


@lru_cache(maxsize=65536)
def _char_pinyin(char: str) -> str:
    syl = lazy_pinyin(char, v_to_u=True)[0]
    # Drop diacritics (ü -> u) so that keys are pure ASCII.
    return unicodedata.normalize("NFKD", syl).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=16384)
def _phrase_pinyin(text: str) -> str:
    # Place names *are* phrases, so pypinyin's phrase dictionary gets 重庆 right
    # (chongqing, not the per-character zhongqing).
    return "".join(_strip_accents(s).lower() for s in lazy_pinyin(text, v_to_u=True) if s.strip())


def _strip_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _split_latin(text: str) -> list[str]:
    text = _CAMEL_RE.sub(" ", text).lower()
    tokens = [t for t in _NON_WORD_RE.split(_strip_accents(text)) if t]
    return [_UMLAUT_TOKENS.get(t, t) for t in tokens]


def _is_cjk_char(char: str) -> bool:
    return _CJK_RE.match(char) is not None


def _prepared(value: Any) -> str | None:
    """Width-folded, simplified, trimmed text with original letter case."""
    text = _as_text(value)
    if text is None:
        return None
    text = t2s(fold_width(text)).strip()
    return text or None


def _tokens_of(text: str) -> list[str]:
    tokens: list[str] = []
    latin: list[str] = []
    first_cjk = True
    for char in text:
        if _is_cjk_char(char):
            if latin:
                tokens.extend(_split_latin("".join(latin)))
                latin = []
            if first_cjk and char in _SURNAME_READINGS:
                tokens.append(_SURNAME_READINGS[char])
            else:
                tokens.append(_char_pinyin(char))
            first_cjk = False
        else:
            latin.append(char)
    if latin:
        tokens.extend(_split_latin("".join(latin)))
    return [t for t in tokens if t]


def name_tokens(value: Any) -> list[str]:
    """Name as a list of pinyin syllables / latin tokens, in written order.

    ``"张伟"`` -> ``["zhang", "wei"]``; ``"Zhang Wei"`` and ``"ZhangWei"`` give the
    same; ``"張偉"`` is simplified first.  CJK characters become one syllable
    each, latin runs are split on separators and camel-case.
    """
    text = _prepared(value)
    return [] if text is None else _tokens_of(text)


def _norm_of(text: str) -> str | None:
    if _CJK_RE.search(text):
        return _NON_ALNUM_RE.sub("", text.lower()) or None
    return " ".join(sorted(_split_latin(text))) or None


def normalize_name(value: Any) -> str | None:
    """Canonical written form of a person's name.

    Chinese names: simplified, width-folded, lower-cased, every space and
    punctuation mark (including the ``·`` of transliterated names) removed.
    Latin names: lower-cased tokens, *sorted*, joined by one space, so
    "Smith, John" == "john SMITH".
    """
    text = _prepared(value)
    return None if text is None else _norm_of(text)


def pinyin_key(value: Any) -> str | None:
    """Toneless pinyin (or latin) syllables joined in written order: 张伟 -> zhangwei."""
    tokens = name_tokens(value)
    return "".join(tokens) or None


def pinyin_key_sorted(value: Any) -> str | None:
    """Order-free pinyin key: 张伟, "Zhang Wei" and "Wei Zhang" all give "weizhang"."""
    tokens = name_tokens(value)
    return "".join(sorted(tokens)) or None


class NameKeys(NamedTuple):
    """All name keys, computed from one tokenisation (the bulk path uses this)."""

    norm: str | None
    pinyin: str | None
    pinyin_sorted: str | None
    surname: str | None


def name_keys(value: Any) -> NameKeys:
    """``normalize_name``, ``pinyin_key``, ``pinyin_key_sorted`` and ``surname_key``
    from a single preparation of the text (this is the bulk path)."""
    text = _prepared(value)
    if text is None:
        return NameKeys(None, None, None, None)
    tokens = _tokens_of(text)
    if not tokens:
        return NameKeys(None, None, None, None)
    return NameKeys(_norm_of(text), "".join(tokens), "".join(sorted(tokens)), _surname_of(text))


def surname_key(value: Any) -> str | None:
    """Pinyin of the family name of a Chinese-script name (compound aware).

    For latin-only names the written order is ambiguous (Zhang Wei / Wei Zhang),
    so we return the alphabetically first token: it is order-independent, which
    is what a blocking key needs.
    """
    text = _prepared(value)
    return None if text is None else _surname_of(text)


def _surname_of(text: str) -> str | None:
    cjk = [c for c in text if _is_cjk_char(c)]
    if cjk:
        if "".join(cjk[:2]) in _COMPOUND_SURNAMES:
            return _char_pinyin(cjk[0]) + _char_pinyin(cjk[1])
        return _SURNAME_READINGS.get(cjk[0]) or _char_pinyin(cjk[0])
    tokens = _split_latin(text)
    return min(tokens) if tokens else None


# ---------------------------------------------------------------------------
# Companies
# ---------------------------------------------------------------------------

# Legal-form suffixes (simplified; traditional input is simplified first, so
# 有限責任公司 / 集團 are covered).  Longest first so the longest one is removed.
_CN_COMPANY_SUFFIXES = sorted(
    [
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "分公司",
        "集团",
        "公司",
        "股份",
        "控股",
        "有限",
    ],
    key=len,
    reverse=True,
)
_LATIN_COMPANY_SUFFIXES = frozenset(
    [
        "co",
        "ltd",
        "inc",
        "llc",
        "corp",
        "corporation",
        "company",
        "limited",
        "group",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "holdings",
        "holding",
        "pte",
        "lp",
        "llp",
    ]
)
_BRACKETS_RE = re.compile(r"[()\[\]{}（）【】〔〕<>《》]")


def normalize_company(value: Any) -> str | None:
    """Company name without legal-form suffixes, punctuation and spaces.

    ``"北京字節跳動科技有限公司"`` -> ``"北京字节跳动科技"``; ``"Acme Co., Ltd."`` ->
    ``"acme"``.  Suffixes are stripped repeatedly ("…集团股份有限公司").  Bracket
    characters are dropped but their content (often a city) is kept, because
    "腾讯科技(深圳)" and "腾讯科技(北京)" are different legal entities.
    """
    text = clean_text(value)
    if text is None:
        return None
    text = _BRACKETS_RE.sub(" ", text)
    if _CJK_RE.search(text):
        original = compact = _NON_ALNUM_RE.sub("", text)
        changed = True
        while changed:
            changed = False
            for suffix in _CN_COMPANY_SUFFIXES:
                if compact.endswith(suffix) and len(compact) > len(suffix):
                    compact = compact[: -len(suffix)]
                    changed = True
                    break
        # A name that is nothing but legal forms ("有限公司") stays as written.
        if compact in _CN_COMPANY_SUFFIXES:
            compact = original
        return compact or None
    tokens = _split_latin(text)
    while len(tokens) > 1 and tokens[-1] in _LATIN_COMPANY_SUFFIXES:
        tokens.pop()
    return "".join(tokens) or None


# ---------------------------------------------------------------------------
# Contact data
# ---------------------------------------------------------------------------

_PHONE_SEPARATORS_RE = re.compile(r"[\s\-().\u00a0/]")
# Fast path for the overwhelmingly common case (a Chinese mobile number with an
# optional +86 / 0086 / 86 prefix).  It returns exactly what phonenumbers would;
# tests check the two agree.  Everything else goes through phonenumbers.
_CN_MOBILE_RE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")


def normalize_phone(value: Any, region: str = "CN") -> str | None:
    """Phone number in E.164 (``+8613800138000``), or None if not a possible number.

    Accepts spaces, dashes, brackets, ``+86``, ``0086`` and full-width digits.
    """
    text = _as_text(value)
    if text is None:
        return None
    text = fold_width(text).strip()
    compact = _PHONE_SEPARATORS_RE.sub("", text)
    if region == "CN":
        match = _CN_MOBILE_RE.fullmatch(compact)
        if match is not None:
            return "+86" + match.group(1)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    # IS_POSSIBLE_LOCAL_ONLY ("12345") is not an identifier we can match on.
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def normalize_email(value: Any, gmail_dots: bool = True) -> str | None:
    """Lower-cased e-mail; for Gmail, dots and ``+tags`` in the local part are dropped
    (Gmail ignores them, so they are the same mailbox)."""
    text = _as_text(value)
    if text is None:
        return None
    text = fold_width(text).strip().lower().strip("<>\"' ")
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    if text.count("@") != 1:
        return None
    local, domain = text.split("@")
    if not local or "." not in domain:
        return None
    if gmail_dots and domain in _GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def email_local_part(email: str | None) -> str | None:
    """Local part of an already normalised e-mail address."""
    if not email:
        return None
    return email.split("@", 1)[0] or None


# ---------------------------------------------------------------------------
# Dates and identifiers
# ---------------------------------------------------------------------------

_DIGITS_RE = re.compile(r"\d+")


def normalize_birthday(value: Any) -> str | None:
    """Birthday as ``YYYYMMDD`` (or ``YYYY`` when only the year is known).

    Accepts date/datetime objects, ISO dates, ``1990/3/7``, ``1990年3月7日``,
    ``19900307`` and ``07/03/1990`` (day first, the Chinese and European order).
    Day and month are range-checked but a slightly corrupted date (e.g. 31 Feb)
    is kept, because it still carries evidence for matching.
    """
    if isinstance(value, datetime | date):
        return value.strftime("%Y%m%d")
    text = _as_text(value)
    if text is None:
        return None
    parts = _DIGITS_RE.findall(fold_width(text))
    if len(parts) == 1:
        digits = parts[0]
        if len(digits) == 8:
            year, month, day = digits[:4], digits[4:6], digits[6:]
        elif len(digits) == 4:
            return digits if 1850 <= int(digits) <= 2100 else None
        else:
            return None
    elif len(parts) >= 3:
        if len(parts[0]) == 4:
            year, month, day = parts[0], parts[1], parts[2]
        elif len(parts[2]) == 4:
            day, month, year = parts[0], parts[1], parts[2]
        else:
            return None
    else:
        return None
    if not (1850 <= int(year) <= 2100 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{int(year):04d}{int(month):02d}{int(day):02d}"


def normalize_postcode(value: Any) -> str | None:
    """Postcode upper-cased without spaces (``"100 080"`` -> ``"100080"``)."""
    text = _as_text(value)
    if text is None:
        return None
    compact = "".join(c for c in fold_width(text).upper() if c.isalnum())
    return compact or None


def normalize_id_number(value: Any) -> str | None:
    """ID/passport/social-security number upper-cased without spaces or dashes."""
    text = _as_text(value)
    if text is None:
        return None
    compact = "".join(c for c in fold_width(text).upper() if c.isalnum())
    return compact or None


# Administrative suffixes that are often omitted ("北京" vs "北京市").
_CITY_SUFFIXES = ("特别行政区", "自治州", "地区", "市", "省", "区", "县", "盟")
_LATIN_CITY_SUFFIXES = (" city", " shi", " prefecture")


def normalize_city(value: Any) -> str | None:
    """City key: pinyin of the name without 市/省/区 suffixes, so that 北京市,
    北京, 北京 and "Beijing" agree; latin names are lower-cased without spaces."""
    text = clean_text(value)
    if text is None:
        return None
    if _CJK_RE.search(text):
        compact = "".join(c for c in text if c.isalnum())
        for suffix in _CITY_SUFFIXES:
            if compact.endswith(suffix) and len(compact) > len(suffix):
                compact = compact[: -len(suffix)]
                break
        return _phrase_pinyin(compact) or None
    for suffix in _LATIN_CITY_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return "".join(_split_latin(text)) or None


def address_compact(value: Any) -> str | None:
    """Simplified, lower-cased address with spaces and punctuation removed."""
    text = clean_text(value)
    if text is None:
        return None
    return _NON_ALNUM_RE.sub("", text) or None


def address_bigrams(value: Any) -> list[str]:
    """Sorted distinct character bigrams of the simplified address.

    Spaces and punctuation are removed first (Chinese addresses are written
    without spaces, latin ones with arbitrary spacing).  The result is compared
    with a set Jaccard in DuckDB, which counts list *elements*, so multi-byte
    characters are handled correctly.
    """
    compact = address_compact(value)
    if compact is None:
        return []
    if len(compact) < 2:
        return [compact] if compact else []
    return sorted({compact[i : i + 2] for i in range(len(compact) - 1)})


def jaccard(left: Iterable[str], right: Iterable[str]) -> float:
    """Set Jaccard similarity (reference implementation for tests)."""
    a, b = set(left), set(right)
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)
