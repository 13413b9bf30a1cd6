"""The fast paths behind search keys and import validation give exactly the answers of the
slow, general code they stand in front of (pypinyin's segmenter, Django's e-mail validator,
strptime)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pypinyin import lazy_pinyin

from kehu.core import text
from kehu.core.validators import _PLAIN_EMAIL, clean_date, clean_email

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于单查乐仇解朴区"
)
# Heteronyms and characters that read differently inside common words (长城, 银行, 重庆…).
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平长乐行重调和中朝藏都会曲传觉率少好"


def _slow(name: str) -> list[str]:
    return [s for s in lazy_pinyin(name, errors="ignore") if s.strip()]


def test_syllables_equal_pypinyin_on_many_names():
    rnd = random.Random(7)
    names = {
        rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 3)))
        for _ in range(20_000)
    }
    # Words from pypinyin's phrase dictionary must take the slow path and still agree.
    names |= {"长城", "银行行长", "重庆", "欧阳修", "单雄信", "朝阳区", "乐乐"}
    assert [n for n in names if text._syllables(n) != _slow(n)] == []


@pytest.mark.parametrize("value", ["张3", "李ABC", "王-伟", "〇一二", "𠀀伟"])
def test_syllables_mixed_text_takes_the_slow_path(value):
    assert text._syllables(value) == _slow(value)


def _address(rnd: random.Random) -> str:
    """Near-valid addresses: dots, dashes and odd characters where they may or may not go."""

    def part(chars: str, low: int, high: int) -> str:
        return "".join(rnd.choice(chars) for _ in range(rnd.randint(low, high)))

    local = part("ab1._%+-!é", 0, 6)
    labels = [part("ab1-_é", 0, 5) for _ in range(rnd.randint(1, 3))]
    return f"{local}@{'.'.join(labels)}.{part('abz1-', 0, 4)}"


def test_plain_email_pattern_accepts_only_what_django_accepts():
    rnd = random.Random(3)
    accepted = 0
    for _ in range(50_000):
        value = _address(rnd)
        if _PLAIN_EMAIL.fullmatch(value):
            accepted += 1
            validate_email(value)  # raises if the fast path let through a bad address
    assert accepted > 100  # the sample exercised the fast path


@pytest.mark.parametrize("value", ["a..b@example.com", ".a@example.com", "a@-x.com", "a@x.c"])
def test_bad_addresses_still_rejected(value):
    with pytest.raises(ValidationError):
        clean_email(value)


def test_email_domain_lower_cased():
    assert clean_email(" Li.Na@Example.COM ") == "Li.Na@example.com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1999-03-04", dt.date(1999, 3, 4)),
        ("1999-3-4", dt.date(1999, 3, 4)),
        ("19990304", dt.date(1999, 3, 4)),
        ("1999/03/04", dt.date(1999, 3, 4)),
        ("1999年3月4日", dt.date(1999, 3, 4)),
    ],
)
def test_dates_in_every_accepted_spelling(value, expected):
    assert clean_date(value) == expected


@pytest.mark.parametrize("value", ["1999-02-30", "1999-13-01", "99-03-04", "1999-03-04x"])
def test_impossible_dates_rejected(value):
    with pytest.raises(ValidationError):
        clean_date(value)


def test_mobile_validity_decided_by_its_first_digits():
    """Every five-digit start of a Chinese mobile number, with random endings: the cached
    per-prefix answer is phonenumbers' answer for the whole number."""
    import phonenumbers

    rnd = random.Random(11)
    for start in range(10_000, 20_000):
        for _ in range(2):
            digits = f"{start}{rnd.randrange(10**6):06d}"
            try:
                number = phonenumbers.parse(digits, "CN")
                valid = phonenumbers.is_valid_number(number)
            except phonenumbers.NumberParseException:
                valid = False
            assert (text.phone_e164(digits) is not None) == valid, digits
