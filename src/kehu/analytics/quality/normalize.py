"""Field normalisation for duplicate detection.

Every function here takes one raw cell value and returns a canonical string (or
``None`` when the value carries no usable information).  They are deliberately
scalar and side-effect free so that the bulk path (:mod:`.prepare`, which maps
them over the *unique* values of a column) and the single-record path
(:mod:`.candidates`) produce identical keys.  Name and text helpers live in
:mod:`.names` and :mod:`.text` and are re-exported here.

DuckDB's string similarity functions count UTF-8 *bytes*; every key we compare
with Jaro-Winkler or edit distances is therefore ASCII (pinyin, digits,
e-mail).  Chinese addresses are compared through character-bigram *sets*.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import phonenumbers

from .names import (
    NameKeys,
    _phrase_pinyin,
    _split_latin,
    name_keys,
    name_tokens,
    normalize_name,
    pinyin_key,
    pinyin_key_sorted,
    surname_key,
)
from .text import (
    CJK_RE,
    MISSING_TOKENS,
    NON_ALNUM_RE,
    as_text,
    clean_text,
    fold_width,
    is_missing,
    t2s,
)

__all__ = [
    "MISSING_TOKENS",
    "NameKeys",
    "address_bigrams",
    "address_compact",
    "clean_text",
    "email_local_part",
    "fold_width",
    "is_missing",
    "jaccard",
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
    if CJK_RE.search(text):
        original = compact = NON_ALNUM_RE.sub("", text)
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
    text = as_text(value)
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
    text = as_text(value)
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
    text = as_text(value)
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
    text = as_text(value)
    if text is None:
        return None
    compact = NON_ALNUM_RE.sub("", fold_width(text).upper())
    return compact or None


def normalize_id_number(value: Any) -> str | None:
    """ID/passport/social-security number upper-cased without spaces or dashes."""
    text = as_text(value)
    if text is None:
        return None
    compact = NON_ALNUM_RE.sub("", fold_width(text).upper())
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
    if CJK_RE.search(text):
        compact = NON_ALNUM_RE.sub("", text)
        for suffix in _CITY_SUFFIXES:
            if compact.endswith(suffix) and len(compact) > len(suffix):
                compact = compact[: -len(suffix)]
                break
        return _phrase_pinyin(compact) or None
    for suffix in _LATIN_CITY_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return "".join(_split_latin(text)) or None


# Province-level names, as an address may start with them ("广东省广州市…" is often
# typed "广州市…").  Municipalities are included: "北京市朝阳区…" and "朝阳区…" are one
# address in Beijing.
_PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
]
# Administrative words people leave out or keep at will.  Longest first; the
# single characters are removed wherever they stand, on both sides of a comparison alike,
# so "广东省广州市天河区" and "广东广州天河" become the same text.
_ADMIN_WORDS = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
)
_ADMIN_WORDS_RE = re.compile("|".join(_ADMIN_WORDS) + "|[省市区]")
_PROVINCE_RE = re.compile("^(?:" + "|".join(sorted(_PROVINCES, key=len, reverse=True)) + ")")
# Chinese numerals in house, building and room numbers ("三百八十五号" = "385号").
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER_RE = re.compile("([零〇一二两三四五六七八九十百千]+)(?=号|栋|幢|楼|室|单元|层|弄|座)")


def _cn_number(text: str) -> str:
    """ "三百八十五" -> "385", "十二" -> "12", "一二零一" -> "1201" (digit by digit)."""
    if not any(c in _CN_UNITS for c in text):
        return "".join(str(_CN_DIGITS[c]) for c in text)
    total, digit = 0, 0
    for char in text:
        if char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            digit = _CN_DIGITS[char]
    return str(total + digit)


def address_compact(value: Any) -> str | None:
    """Canonical address text: simplified script, half-width, lower case, no spaces or
    punctuation, Chinese house numbers as digits, and the parts people write or leave
    out at will removed: a leading province name and the words 省/市/区/自治区.

    ``"廣東省廣州市天河區天河路３８５號"`` and ``"广州天河天河路385号"`` give the same text.
    """
    text = clean_text(value)
    if text is None:
        return None
    text = NON_ALNUM_RE.sub("", text)
    if CJK_RE.search(text):
        text = _CN_NUMBER_RE.sub(lambda m: _cn_number(m.group(1)), text)
        text = _ADMIN_WORDS_RE.sub("", text)
        stripped = _PROVINCE_RE.sub("", text, count=1)
        text = stripped if len(stripped) >= 2 else text
    return text or None


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
