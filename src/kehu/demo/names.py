"""Names for the demo: Chinese persons and companies, their English / pinyin / traditional forms,
and the small mistakes people make when they enter the same customer twice.

Plain Python and numpy, no Django. Choices are drawn with the caller's numpy Generator so the
data set depends only on the seed.
"""

from __future__ import annotations

import numpy as np
from opencc import OpenCC

from kehu.core.text import pinyin_forms
from kehu.demo.common import words

# The 100 most common surnames, most frequent first, with the reading used as a surname
# (pypinyin reads 曾 as "ceng" out of context; a person called 曾 spells it "Zeng").
SURNAMES = words(
    "王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma 朱zhu "
    "胡hu 郭guo 何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu 韩han 冯feng "
    "邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du "
    "叶ye 程cheng 苏su 魏wei 吕lyu 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan "
    "陆lu 汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang 白bai 邹zou 孟meng "
    "熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 侯hou 龙long 史shi 陶tao 黎li "
    "贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan 钱qian 严yan 易yi 武wu 戴dai 莫mo 孔kong "
    "向xiang 汤tang 欧阳ouyang 司马sima 诸葛zhuge 上官shangguan"
)
SURNAME_HAN = tuple("".join(c for c in s if not c.isascii()) for s in SURNAMES)
SURNAME_PINYIN = {
    "".join(c for c in s if not c.isascii()): "".join(c for c in s if c.isascii()) for s in SURNAMES
}
# Roughly Zipf-shaped, like the census: 王/李/张 each ~7 %, the tail well under 1 %.
SURNAME_WEIGHTS = np.array([1.0 / (i + 1) ** 0.9 for i in range(len(SURNAMES))])
SURNAME_WEIGHTS[-4:] = SURNAME_WEIGHTS[-5] / 20  # compound surnames are rare
SURNAME_WEIGHTS /= SURNAME_WEIGHTS.sum()

GIVEN_MALE = tuple(
    "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文峰亮成东海毅诚博睿哲航晨轩"
)
GIVEN_FEMALE = tuple(
    "芳娜敏静丽艳娟霞燕秀玲桂英丹萍红玉兰琳雪倩婷颖慧佳欣怡梅莉晶洁琴云莹雯璐悦思雨蕾薇婉妍"
)
GIVEN_MIDDLE = tuple("晓小子嘉俊文志建国海春秋丽婉佳思雨梓一诗欣家宏永立德振")

ENGLISH_MALE = words(
    "David Kevin Jason Tony Jack Eric Leo Vincent Michael Peter Frank Steven Andy Allen "
    "Henry Ryan Sam Tom Victor William"
)
ENGLISH_FEMALE = words(
    "Amy Lily Grace Cindy Helen Vivian Coco Emily Anna Cherry Fiona Irene Jenny Linda Lucy "
    "Nancy Sophia Tina Wendy Zoe"
)

# Characters that sound or look alike: the usual typo when a name is typed again.
TYPO_PAIRS = dict(
    pair
    for a, b in (
        ("伟", "玮"),
        ("丽", "莉"),
        ("静", "晶"),
        ("娜", "那"),
        ("敏", "民"),
        ("军", "君"),
        ("杰", "洁"),
        ("涛", "韬"),
        ("明", "铭"),
        ("华", "桦"),
        ("斌", "彬"),
        ("刚", "钢"),
        ("芳", "方"),
        ("燕", "艳"),
        ("红", "虹"),
        ("玲", "琳"),
        ("婷", "亭"),
        ("建", "健"),
        ("峰", "锋"),
        ("晓", "小"),
        ("欣", "新"),
        ("宇", "雨"),
        ("浩", "昊"),
        ("洋", "阳"),
    )
    for pair in ((a, b), (b, a))
)

COMPANY_CORES = words(
    "恒通 华信 鼎盛 宏达 新锐 瑞丰 博远 金桥 中联 海纳 天成 嘉禾 永安 东方 启航 卓越 盛世 汇丰 "
    "正泰 万达 星河 蓝海 智远 安泰 百川 德隆 富源 光华 和美 佳兴 锦程 凯旋 利民 明辉 宁泰 "
    "普惠 启明 荣昌 三和 顺发 腾飞 同创 万科 伟业 祥瑞 鑫源 亚泰 远航 泽丰 众诚 华润 聚力 "
    "凌云 美达 南洋 青松 润发 尚品 天宇 维新 翔宇 银河 云帆 兆丰 致远 中天 宝利 长虹 大洋"
)
# (Chinese, English) industry words: name_en of companies is a plausible translation.
INDUSTRIES = (
    ("科技", "Technology", "信息技术"),
    ("电子", "Electronics", "电子制造"),
    ("贸易", "Trading", "批发零售"),
    ("实业", "Industrial", "制造业"),
    ("餐饮管理", "Catering Management", "餐饮"),
    ("物流", "Logistics", "物流运输"),
    ("建材", "Building Materials", "建筑建材"),
    ("医疗器械", "Medical Devices", "医疗健康"),
    ("教育咨询", "Education Consulting", "教育培训"),
    ("文化传媒", "Culture & Media", "文化传媒"),
    ("食品", "Food", "食品饮料"),
    ("纺织", "Textile", "纺织服装"),
    ("汽车服务", "Auto Services", "汽车"),
    ("酒店管理", "Hotel Management", "酒店住宿"),
    ("物业管理", "Property Management", "房地产"),
)
CONTACT_ROLES = ("采购经理", "总经理", "财务主管", "行政主管", "技术负责人", "店长", "董事长助理")

_s2t = OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t.convert(text)


def pinyin_of(text: str) -> str:
    """Toneless pinyin of Han text, as one word (``xiaoming``)."""
    return pinyin_forms(text)[0]


def person_names(
    rng: np.random.Generator, female: np.ndarray
) -> tuple[list[str], list[str], list[str]]:
    """(full name, surname, given name) for each person; ``female`` is a bool array."""
    n = len(female)
    surnames = rng.choice(len(SURNAMES), size=n, p=SURNAME_WEIGHTS)
    two_chars = rng.random(n) < 0.62  # most given names today have two characters
    middle = rng.integers(0, len(GIVEN_MIDDLE), n)
    male_i = rng.integers(0, len(GIVEN_MALE), n)
    female_i = rng.integers(0, len(GIVEN_FEMALE), n)
    full, sur, given = [], [], []
    for k in range(n):
        last = GIVEN_FEMALE[female_i[k]] if female[k] else GIVEN_MALE[male_i[k]]
        g = GIVEN_MIDDLE[middle[k]] + last if two_chars[k] else last
        s = SURNAME_HAN[surnames[k]]
        full.append(s + g)
        sur.append(s)
        given.append(g)
    return full, sur, given


def pinyin_name(surname: str, given: str, *, western_order: bool) -> str:
    """``Zhang Wei`` (Chinese order) or ``Wei Zhang`` (as on a business card abroad)."""
    s = SURNAME_PINYIN.get(surname, pinyin_of(surname)).capitalize()
    g = pinyin_of(given).capitalize()
    return f"{g} {s}" if western_order else f"{s} {g}"


def english_name(rng: np.random.Generator, surname: str, female: bool) -> str:
    pool = ENGLISH_FEMALE if female else ENGLISH_MALE
    return f"{pool[int(rng.integers(len(pool)))]} {SURNAME_PINYIN.get(surname, 'Li').capitalize()}"


def typo_name(rng: np.random.Generator, name: str) -> str:
    """The same name with one character swapped for a homophone; unchanged when none fits."""
    spots = [i for i, ch in enumerate(name) if i > 0 and ch in TYPO_PAIRS]
    if not spots:
        return name
    i = spots[int(rng.integers(len(spots)))]
    return name[:i] + TYPO_PAIRS[name[i]] + name[i + 1 :]


def company_name(
    core: str, industry: int, city: str, *, group: bool = False, branch: str = ""
) -> str:
    word = INDUSTRIES[industry][0]
    if group:
        return f"{city}{core}集团有限公司"
    if branch:
        # A subsidiary carries the group's name and its own place: 恒通科技（杭州）有限公司
        return f"{core}{word}（{branch}）有限公司"
    return f"{city}{core}{word}有限公司"


def company_name_en(core: str, industry: int, city_en: str, *, group: bool = False) -> str:
    core_en = pinyin_of(core).capitalize()
    if group:
        return f"{city_en} {core_en} Group Co., Ltd."
    return f"{city_en} {core_en} {INDUSTRIES[industry][1]} Co., Ltd."


# Unified social credit code (GB 32100-2015): 18 characters with a mod-31 check character.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(rng: np.random.Generator, area_code: str) -> str:
    body = "91" + area_code + "".join(_USCC_CHARS[i] for i in rng.integers(0, 31, 9))
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]
