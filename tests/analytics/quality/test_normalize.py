"""Field normalisation: each function on the formats people actually type."""

from __future__ import annotations

import math
from datetime import date

import phonenumbers
import pytest

from kehu.analytics.quality import normalize as nz


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("張偉", "张伟"),
        ("张伟", "张伟"),
        ("  張 偉 ", "张伟"),
        ("ＺＨＡＮＧ　ＷＥＩ", "wei zhang"),  # full-width -> half-width, latin sorted
        ("Smith, John", "john smith"),
        ("john  SMITH", "john smith"),
        ("阿卜杜·热合曼", "阿卜杜热合曼"),  # the middle dot of transliterated names
        ("", None),
        (None, None),
        (float("nan"), None),
        ("N/A", None),
    ],
)
def test_normalize_name(raw, expected):
    assert nz.normalize_name(raw) == expected


def test_traditional_to_simplified_only_when_needed():
    assert nz.t2s("臺灣省臺北市") == "台湾省台北市"
    assert nz.t2s("北京市海淀区") == "北京市海淀区"
    assert nz.clean_text("  廣州ＡＢＣ  ") == "广州abc"


@pytest.mark.parametrize(
    "name", ["张伟", "張偉", "Zhang Wei", "zhang wei", "ZhangWei", "ZHANG Wei"]
)
def test_pinyin_key_written_order(name):
    assert nz.pinyin_key(name) == "zhangwei"


@pytest.mark.parametrize("name", ["张伟", "張偉", "Zhang Wei", "Wei Zhang", "wei ZHANG"])
def test_sorted_pinyin_key_matches_either_order(name):
    assert nz.pinyin_key_sorted(name) == "weizhang"


def test_pinyin_surname_readings_and_umlaut():
    assert nz.pinyin_key("单雄信") == "shanxiongxin"  # surname reading, not "dan"
    assert nz.pinyin_key("曾伟") == "zengwei"
    assert nz.pinyin_key("吕布") == nz.pinyin_key("Lv Bu") == nz.pinyin_key("Lyu Bu") == "lubu"
    assert nz.surname_key("欧阳修") == "ouyang"  # compound surname
    assert nz.surname_key("张伟") == "zhang"
    # Romanised Chinese names: the surname is found in either order.
    assert nz.surname_key("Zhang Wei") == nz.surname_key("Wei Zhang") == "zhang"
    assert nz.surname_key("Minghui Zhang") == nz.surname_key("zhangminghui") == "zhang"
    # Western names: the written order is ambiguous, the first token alphabetically is
    # at least order-free.
    assert nz.surname_key("Diana Smith") == nz.surname_key("Smith Diana") == "diana"


@pytest.mark.parametrize(
    ("romanised", "characters"),
    [
        ("Li Haifang", "李海芳"),
        ("Minghui Zhang", "张明慧"),
        ("GongFuyi", "龚福怡"),
        ("HE Bojia", "何博嘉"),
        ("Ouyang Xiu", "欧阳修"),
    ],
)
def test_romanised_given_names_are_split_into_syllables(romanised, characters):
    # People write the two syllables of a given name as one word.
    assert nz.pinyin_key_sorted(romanised) == nz.pinyin_key_sorted(characters)


def test_western_names_are_not_split_into_syllables():
    assert nz.name_tokens("Diana Smith") == ["diana", "smith"]
    assert nz.name_tokens("mitchell green") == ["mitchell", "green"]


def test_name_keys_is_consistent_with_the_single_functions():
    for name in ["张伟", "張偉", "Wei Zhang", "欧阳 修", "Smith, John", "", None]:
        keys = nz.name_keys(name)
        assert keys.norm == nz.normalize_name(name)
        assert keys.pinyin == nz.pinyin_key(name)
        assert keys.pinyin_sorted == nz.pinyin_key_sorted(name)
        assert keys.surname == nz.surname_key(name)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("北京字节跳动科技有限公司", "北京字节跳动科技"),
        ("北京字節跳動科技有限公司", "北京字节跳动科技"),  # traditional suffix and name
        ("华为技术有限责任公司", "华为技术"),
        ("華為技術有限責任公司", "华为技术"),
        ("中国平安保险(集团)股份有限公司", "中国平安保险"),
        ("阿里巴巴集團控股有限公司", "阿里巴巴"),
        ("腾讯科技（深圳）有限公司", "腾讯科技深圳"),
        ("某某贸易公司上海分公司", "某某贸易公司上海"),
        ("Acme Co., Ltd.", "acme"),
        ("ACME Inc", "acme"),
        ("Foo Bar LLC", "foobar"),
        ("Globex Corp.", "globex"),
        ("Initech Group Limited", "initech"),
        ("ＡＢＣ有限公司", "abc"),
        ("有限公司", "有限公司"),  # never strip a name down to nothing
        ("", None),
    ],
)
def test_normalize_company(raw, expected):
    assert nz.normalize_company(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "138 0013 8000",
        "+86 138-0013-8000",
        "008613800138000",
        "0086 138 0013 8000",
        "(+86)138-0013-8000",
        "86-13800138000",
        "13800138000",
        "１３８００１３８０００",  # full-width digits
        "138.0013.8000",
    ],
)
def test_phone_formats_to_e164(raw):
    assert nz.normalize_phone(raw) == "+8613800138000"


def test_phone_landlines_foreign_and_junk():
    assert nz.normalize_phone("(010) 6552-9988") == "+861065529988"
    assert nz.normalize_phone("021-12345678") == "+862112345678"
    assert nz.normalize_phone("+1 650 253 0000") == "+16502530000"
    assert nz.normalize_phone("12345") is None  # only a local short number
    assert nz.normalize_phone("call me") is None
    assert nz.normalize_phone("") is None


@pytest.mark.parametrize(
    "raw", ["13912345678", "+86 139 1234 5678", "0086-139-1234-5678", "8613912345678"]
)
def test_phone_fast_path_agrees_with_phonenumbers(raw):
    parsed = phonenumbers.parse(raw if not raw.startswith("86") else "+" + raw, "CN")
    expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    assert nz.normalize_phone(raw) == expected


def test_email():
    assert nz.normalize_email(" John.Smith@Example.COM ") == "john.smith@example.com"
    assert nz.normalize_email("ａｂｃ＠ｑｑ．ｃｏｍ") == "abc@qq.com"
    # Gmail ignores dots and +tags: same mailbox.
    assert nz.normalize_email("J.Smith+crm@gmail.com") == "jsmith@gmail.com"
    assert nz.normalize_email("j.smith@googlemail.com") == "jsmith@gmail.com"
    assert nz.normalize_email("j.smith@163.com") == "j.smith@163.com"
    assert nz.normalize_email("not an email") is None
    assert nz.email_local_part("abc@qq.com") == "abc"


@pytest.mark.parametrize(
    "raw", ["1990-03-07", "1990/3/7", "1990年3月7日", "19900307", "07/03/1990", date(1990, 3, 7)]
)
def test_birthday_formats(raw):
    assert nz.normalize_birthday(raw) == "19900307"


def test_birthday_partial_and_invalid():
    assert nz.normalize_birthday("1990") == "1990"
    assert nz.normalize_birthday("1990-13-40") is None
    assert nz.normalize_birthday("not a date") is None


def test_ids_postcodes_cities():
    assert nz.normalize_id_number(" 11010119900307 123x ") == "11010119900307123X"
    assert nz.normalize_id_number("123-45-6789") == "123456789"
    assert nz.normalize_postcode("100 080") == "100080"
    assert nz.normalize_postcode(100080.0) == "100080"  # spreadsheet float
    assert nz.normalize_city("北京市") == nz.normalize_city("北京") == nz.normalize_city("Beijing")
    assert nz.normalize_city("重慶市") == "chongqing"  # phrase reading, traditional input


def test_address_bigrams_count_characters_not_bytes():
    grams = nz.address_bigrams("北京市海淀區 中關村大街1號")
    assert grams == sorted(set(grams))
    assert "海淀" in grams and "关村" in grams  # simplified first
    assert not any("区" in g or "市" in g for g in grams)  # 省/市/区 left out
    assert all(len(g) == 2 for g in grams)
    assert nz.address_bigrams("") == []
    same = nz.jaccard(nz.address_bigrams("北京市海淀区中关村大街1号"), grams)
    assert math.isclose(same, 1.0)


def test_is_missing():
    for value in (None, "", "  ", "nan", "NULL", "n/a", float("nan")):
        assert nz.is_missing(value)
    for value in ("na", "0", 0, "张伟"):
        assert not nz.is_missing(value)


def test_address_written_another_way_gives_the_same_canonical_text():
    canonical = nz.address_compact("广东省广州市天河区天河路385号12栋1201室")
    assert canonical == "广州天河天河路385号12栋1201室"
    for variant in (
        "廣東省廣州市天河區天河路385號12棟1201室",  # traditional
        "广东广州天河天河路385号12栋1201室",  # 省/市/区 dropped
        "广州市天河区天河路385号12栋1201室",  # province left out
        "广东省广州市天河区天河路３８５号１２栋１２０１室",  # full-width digits
        "广东省 广州市 天河区 天河路 三百八十五号 十二栋 一二零一室",  # spaced, Chinese numerals
    ):
        assert nz.address_compact(variant) == canonical, variant
    # A municipality: with or without the city, one address.
    assert nz.address_compact("北京市朝阳区建国路88号") == nz.address_compact("朝阳区建国路88号")
    # Place names holding numerals are not numbers: 二七区 stays.
    assert nz.address_compact("郑州市二七区建设路3号") == "郑州二七建设路3号"
    assert nz.address_compact("123 Main St.") == "123mainst"
