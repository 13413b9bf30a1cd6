"""Person names: canonical written form and pinyin keys.

Pinyin is looked up per character (cached) instead of through pypinyin's phrase
segmentation: names are not phrases, and a per-character reading is what people
type when they romanise a name.  The usual surname readings of polyphonic
characters (单 Shan, 曾 Zeng ...) are used for the first character of a name.
Every key is ASCII, so DuckDB's byte-counting Jaro-Winkler is safe on it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

from pypinyin import lazy_pinyin

from .text import CJK_RE, NON_ALNUM_RE, prepared_text

__all__ = [
    "NameKeys",
    "name_keys",
    "name_tokens",
    "normalize_name",
    "pinyin_key",
    "pinyin_key_sorted",
    "surname_key",
]

# Split latin text into tokens on anything that is not a letter/digit, and at
# camel-case boundaries ("ZhangWei" -> "Zhang", "Wei").
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD_RE = re.compile(r"[^0-9a-z\u00c0-\u024f]+")

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


# The ~280 most frequent surnames; their pinyin tells a romanised Chinese name
# ("Li Haifang") from a western one ("Diana Smith").
_COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_LONGEST_SYLLABLE = 6  # zhuang, chuang, shuang


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable, taken from pypinyin's own dictionary."""
    from pypinyin.constants import PINYIN_DICT

    out = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            syllable = _strip_accents(reading).lower()
            if syllable.isascii() and syllable.isalpha():
                out.add(syllable)
    return frozenset(out)


@lru_cache(maxsize=1)
def _surname_rank() -> dict[str, int]:
    """Surname pinyin -> frequency rank (0 = commonest); compound ones last."""
    rank: dict[str, int] = {}
    for i, char in enumerate(_COMMON_SURNAMES):
        rank.setdefault(_SURNAME_READINGS.get(char) or _char_pinyin(char), i)
    for pair in sorted(_COMPOUND_SURNAMES):
        rank.setdefault(_char_pinyin(pair[0]) + _char_pinyin(pair[1]), len(rank) + 1000)
    return rank


@lru_cache(maxsize=65536)
def _segment(token: str) -> tuple[str, ...] | None:
    """Split a latin token into pinyin syllables (fewest syllables), or None.

    "haifang" -> ("hai", "fang"); "smith" -> None.  People write the two
    syllables of a given name as one word, characters give one syllable each.
    """
    syllables = _pinyin_syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(token) + 1)
    best[0] = ()
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            prefix = best[start]
            if prefix is not None and token[start:end] in syllables:
                candidate = (*prefix, token[start:end])
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[-1]


def _pinyin_tokens(tokens: list[str]) -> list[str]:
    """Latin name tokens as pinyin syllables, if the name reads as romanised Chinese.

    It does when every token splits into syllables and the first or the last
    token starts with a common surname ("Li Haifang", "Minghui Zhang",
    "zhangwei").  Otherwise the tokens are returned unchanged.
    """
    segments = [s for s in (_segment(t) for t in tokens) if s]
    if not tokens or len(segments) != len(tokens):
        return tokens
    surnames = _surname_rank()
    first, last = segments[0], segments[-1]
    if not (
        first[0] in surnames
        or last[0] in surnames
        or tokens[0] in surnames
        or tokens[-1] in surnames
    ):
        return tokens
    return [syllable for seg in segments for syllable in seg]


def _is_cjk_char(char: str) -> bool:
    return CJK_RE.match(char) is not None


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
    tokens = [t for t in tokens if t]
    if first_cjk:  # no Chinese character at all: maybe a romanised Chinese name
        tokens = _pinyin_tokens(tokens)
    return tokens


def name_tokens(value: Any) -> list[str]:
    """Name as a list of pinyin syllables / latin tokens, in written order.

    ``"张伟"`` -> ``["zhang", "wei"]``; ``"Zhang Wei"`` and ``"ZhangWei"`` give the
    same; ``"張偉"`` is simplified first.  CJK characters become one syllable
    each, latin runs are split on separators and camel-case.
    """
    text = prepared_text(value)
    return [] if text is None else _tokens_of(text)


def _norm_of(text: str) -> str | None:
    if CJK_RE.search(text):
        return NON_ALNUM_RE.sub("", text.lower()) or None
    return " ".join(sorted(_split_latin(text))) or None


def normalize_name(value: Any) -> str | None:
    """Canonical written form of a person's name.

    Chinese names: simplified, width-folded, lower-cased, every space and
    punctuation mark (including the ``·`` of transliterated names) removed.
    Latin names: lower-cased tokens, *sorted*, joined by one space, so
    "Smith, John" == "john SMITH".
    """
    text = prepared_text(value)
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
    text = prepared_text(value)
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
    text = prepared_text(value)
    return None if text is None else _surname_of(text)


def _surname_of(text: str) -> str | None:
    cjk = [c for c in text if _is_cjk_char(c)]
    if cjk:
        if "".join(cjk[:2]) in _COMPOUND_SURNAMES:
            return _char_pinyin(cjk[0]) + _char_pinyin(cjk[1])
        return _SURNAME_READINGS.get(cjk[0]) or _char_pinyin(cjk[0])
    tokens = _split_latin(text)
    if not tokens:
        return None
    if _pinyin_tokens(tokens) is not tokens:  # a romanised Chinese name
        rank = _surname_rank()
        whole = [t for t in tokens if t in rank]  # "Zhang", "Ouyang"
        if whole:
            # "Wei Zhang": either order is possible; the commoner surname wins.
            return min(whole, key=rank.__getitem__)
        for token in (tokens[0], tokens[-1]):  # "zhangwei"
            head = _segment(token)
            if head and head[0] in rank:
                return head[0]
    # Otherwise the written order is ambiguous: the alphabetically first token
    # is at least order-independent.
    return min(tokens)
