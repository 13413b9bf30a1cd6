"""Deterministic synthetic Chinese customer data with known duplicates.

Used by the benchmark (``bench/bench_dedupe.py``) and by tests; it lives under
tests/ because it is not part of the runtime package.  Nothing here is
real personal data: names are drawn from common surnames / given-name
characters, phones are random mobile numbers, ID numbers are well-formed but
random.  The generator is vectorised with numpy where it matters so a million
rows take seconds, and it is fully determined by ``seed``.

Each record belongs to an ``entity_id``; ``dup_rate`` of the records are
corrupted copies of another record of the same entity (variant scripts,
pinyin, phone formats, typos, missing fields, moved house...).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from opencc import OpenCC
from pypinyin import lazy_pinyin

from kehu.analytics.quality.names import _SURNAME_READINGS

__all__ = ["SyntheticData", "generate_customers"]

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
# Roughly Zipf-like: the top surnames (王李张刘陈) each cover ~7% of people.
_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.9
_COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方"]
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌波辉宁建国文俊峰浩宇轩涵梓"
    "子晨欣怡佳琪雨诗婷雪梅晓东海林琳颖欣然凯鑫龙云志新春燕丹慧莉倩宏亮成健博瑞思远嘉乐天一帆"
    "家豪振华德福荣贵金玲美婉清泽昊然皓睿铭宸熙瑶萱彤悦楠蕾薇淑珍秀兰凤琴霖"
)
# Same pinyin, different character: the commonest data-entry error with an IME.
_HOMOPHONES = {
    "伟": "玮",
    "玮": "伟",
    "芳": "方",
    "娜": "纳",
    "静": "婧",
    "丽": "莉",
    "莉": "丽",
    "军": "君",
    "杰": "洁",
    "涛": "韬",
    "明": "铭",
    "铭": "明",
    "华": "骅",
    "平": "萍",
    "萍": "平",
    "宇": "雨",
    "雨": "宇",
    "婷": "亭",
    "琳": "林",
    "林": "琳",
    "欣": "鑫",
    "鑫": "欣",
    "晨": "辰",
    "佳": "嘉",
    "嘉": "佳",
    "浩": "昊",
    "昊": "浩",
    "梅": "玫",
    "红": "虹",
}

# province, city, 4-digit postcode prefix, districts, population weight
_GEO: list[tuple[str, str, str, tuple[str, ...], float]] = [
    ("北京市", "北京市", "1000", ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "通州区"), 9),
    ("上海市", "上海市", "2000", ("黄浦区", "徐汇区", "长宁区", "静安区", "浦东新区", "闵行区"), 9),
    ("天津市", "天津市", "3000", ("和平区", "河西区", "南开区", "滨海新区"), 4),
    ("重庆市", "重庆市", "4000", ("渝中区", "江北区", "沙坪坝区", "九龙坡区", "南岸区"), 6),
    ("广东省", "广州市", "5100", ("越秀区", "天河区", "海珠区", "白云区", "番禺区"), 7),
    ("广东省", "深圳市", "5180", ("福田区", "罗湖区", "南山区", "宝安区", "龙岗区"), 7),
    ("广东省", "东莞市", "5230", ("莞城街道", "南城街道", "东城街道"), 3),
    ("广东省", "佛山市", "5280", ("禅城区", "南海区", "顺德区"), 3),
    ("浙江省", "杭州市", "3100", ("上城区", "拱墅区", "西湖区", "滨江区", "余杭区"), 5),
    ("浙江省", "宁波市", "3150", ("海曙区", "江北区", "鄞州区"), 3),
    ("江苏省", "南京市", "2100", ("玄武区", "秦淮区", "建邺区", "鼓楼区", "江宁区"), 4),
    ("江苏省", "苏州市", "2150", ("姑苏区", "吴中区", "相城区", "工业园区"), 4),
    ("江苏省", "无锡市", "2140", ("梁溪区", "滨湖区", "新吴区"), 2),
    ("四川省", "成都市", "6100", ("锦江区", "青羊区", "金牛区", "武侯区", "成华区"), 6),
    ("湖北省", "武汉市", "4300", ("江岸区", "江汉区", "武昌区", "洪山区", "汉阳区"), 5),
    ("陕西省", "西安市", "7100", ("新城区", "碑林区", "莲湖区", "雁塔区", "未央区"), 4),
    ("湖南省", "长沙市", "4100", ("芙蓉区", "天心区", "岳麓区", "开福区", "雨花区"), 4),
    ("河南省", "郑州市", "4500", ("中原区", "二七区", "金水区", "管城回族区"), 4),
    ("山东省", "济南市", "2500", ("历下区", "市中区", "槐荫区", "天桥区"), 3),
    ("山东省", "青岛市", "2660", ("市南区", "市北区", "黄岛区", "崂山区"), 3),
    ("辽宁省", "沈阳市", "1100", ("和平区", "沈河区", "大东区", "皇姑区"), 3),
    ("辽宁省", "大连市", "1160", ("中山区", "西岗区", "沙河口区", "甘井子区"), 2),
    ("黑龙江省", "哈尔滨市", "1500", ("道里区", "南岗区", "道外区", "香坊区"), 3),
    ("吉林省", "长春市", "1300", ("南关区", "宽城区", "朝阳区", "绿园区"), 2),
    ("福建省", "福州市", "3500", ("鼓楼区", "台江区", "仓山区", "晋安区"), 2),
    ("福建省", "厦门市", "3610", ("思明区", "湖里区", "集美区", "海沧区"), 2),
    ("安徽省", "合肥市", "2300", ("瑶海区", "庐阳区", "蜀山区", "包河区"), 3),
    ("江西省", "南昌市", "3300", ("东湖区", "西湖区", "青云谱区", "红谷滩区"), 2),
    ("云南省", "昆明市", "6500", ("五华区", "盘龙区", "官渡区", "西山区"), 2),
    ("贵州省", "贵阳市", "5500", ("南明区", "云岩区", "花溪区", "观山湖区"), 2),
    ("广西壮族自治区", "南宁市", "5300", ("兴宁区", "青秀区", "江南区", "西乡塘区"), 2),
    ("河北省", "石家庄市", "0500", ("长安区", "桥西区", "新华区", "裕华区"), 2),
    ("山西省", "太原市", "0300", ("小店区", "迎泽区", "杏花岭区", "万柏林区"), 2),
    ("甘肃省", "兰州市", "7300", ("城关区", "七里河区", "西固区", "安宁区"), 1),
    ("新疆维吾尔自治区", "乌鲁木齐市", "8300", ("天山区", "沙依巴克区", "新市区"), 1),
    ("内蒙古自治区", "呼和浩特市", "0100", ("新城区", "回民区", "玉泉区", "赛罕区"), 1),
    ("海南省", "海口市", "5700", ("秀英区", "龙华区", "琼山区", "美兰区"), 1),
]
_STREETS = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "和平路",
    "新华路",
    "长江路",
    "黄河路",
    "胜利路",
    "文化路",
    "青年路",
    "朝阳路",
    "光明路",
    "幸福路",
    "东风路",
    "滨江路",
    "南京路",
    "北京路",
    "学府路",
    "科技路",
    "工业路",
    "花园路",
    "友谊路",
    "团结路",
    "民主路",
    "振兴路",
    "育才路",
    "红旗路",
    "府前街",
    "大学路",
]
_COMMUNITIES = [
    "阳光花园",
    "锦绣家园",
    "碧桂园",
    "万科城",
    "绿地小区",
    "金色家园",
    "翠苑",
    "华府",
    "名都",
    "新村",
]
_EMAIL_DOMAINS = np.array(["qq.com", "163.com", "126.com", "gmail.com", "sina.com", "outlook.com"])
_COMPANY_WORDS = [
    "华信",
    "恒通",
    "鼎盛",
    "创新",
    "宏达",
    "腾飞",
    "远航",
    "瑞丰",
    "金桥",
    "博源",
    "天成",
    "万达",
    "联创",
    "中科",
    "新锐",
]
_COMPANY_TRADES = [
    "科技",
    "贸易",
    "电子",
    "网络",
    "物流",
    "餐饮",
    "建筑",
    "文化传媒",
    "医药",
    "教育咨询",
]
_COMPANY_FORMS = ("有限公司", "有限责任公司", "股份有限公司", "集团有限公司")
_PHONE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 158, 159]
    + [166, 176, 177, 180, 181, 182, 185, 186, 187, 188, 189, 191, 198, 199]
)


@dataclass
class SyntheticData:
    """Generated customers plus ground truth."""

    customers: pd.DataFrame  # id, name, phone, email, birthday, city, address, ...
    entity_id: np.ndarray  # entity of each row, aligned with ``customers``

    def true_pairs(self) -> set[tuple[str, str]]:
        """All unordered id pairs that belong to the same entity."""
        ids = self.customers["id"].to_numpy()
        frame = pd.DataFrame({"id": ids, "entity": self.entity_id})
        dup = frame[frame.duplicated("entity", keep=False)]
        pairs: set[tuple[str, str]] = set()
        for _, group in dup.groupby("entity"):
            members = sorted(group["id"])
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs.add((a, b))
        return pairs


_S2T = OpenCC("s2t")


_PINYIN: dict[str, str] = {}


def _syllables(name: str) -> list[str]:
    """Per-character pinyin; people romanise 曾 as Zeng, not Ceng."""
    out = []
    for j, ch in enumerate(name):
        if j == 0 and ch in _SURNAME_READINGS:
            out.append(_SURNAME_READINGS[ch])
            continue
        if ch not in _PINYIN:
            _PINYIN[ch] = lazy_pinyin(ch)[0]
        out.append(_PINYIN[ch])
    return out


def _pinyin_render(name: str, rng: np.random.Generator) -> str:
    syl = _syllables(name)
    surname = syl[0].capitalize()
    given = "".join(syl[1:])
    style = rng.integers(0, 4)
    if style == 0:
        return f"{surname} {given.capitalize()}"
    if style == 1:
        return f"{given.capitalize()} {surname}"  # western order
    if style == 2:
        return f"{surname.upper()} {given.capitalize()}"
    return f"{surname}{given.capitalize()}"


def _render_phone(number: str, style: int) -> str:
    a, b, c = number[:3], number[3:7], number[7:]
    return (
        number,
        f"{a} {b} {c}",
        f"{a}-{b}-{c}",
        f"+86 {a} {b} {c}",
        f"+86{number}",
        f"0086 {number}",
        f"(+86){a}-{b}-{c}",
        f"86-{number}",
    )[style]


def _render_birthday(ymd: str, style: int) -> str:
    y, m, d = ymd[:4], ymd[4:6], ymd[6:]
    return (
        f"{y}-{m}-{d}",
        f"{y}/{int(m)}/{int(d)}",
        f"{y}年{int(m)}月{int(d)}日",
        ymd,
    )[style]


def _id_number(region: str, ymd: str, seq: int) -> str:
    body = f"{region}{ymd}{seq:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _entities(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One clean row per real person."""
    surname_p = _SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum()
    surnames = np.array(list(_SURNAMES))[rng.choice(len(_SURNAMES), n, p=surname_p)]
    compound = rng.random(n) < 0.005
    surnames[compound] = np.array(_COMPOUND)[rng.integers(0, len(_COMPOUND), compound.sum())]
    given_chars = np.array(list(_GIVEN))
    g1 = given_chars[rng.integers(0, len(given_chars), n)]
    g2 = given_chars[rng.integers(0, len(given_chars), n)]
    two_char = rng.random(n) < 0.7
    names = [
        s + a + (b if t else "") for s, a, b, t in zip(surnames, g1, g2, two_char, strict=True)
    ]

    start = np.datetime64("1950-01-01")
    days = rng.integers(0, (np.datetime64("2005-12-31") - start).astype(int), n)
    ymd = pd.to_datetime(start + days.astype("timedelta64[D]")).strftime("%Y%m%d").to_numpy()

    prefixes = _PHONE_PREFIXES[rng.integers(0, len(_PHONE_PREFIXES), n)]
    tails = rng.integers(0, 10**8, n)
    phones = np.char.add(prefixes.astype(str), np.char.zfill(tails.astype(str), 8))
    # ~3% of people share a household phone with somebody else.
    shared = np.flatnonzero(rng.random(n) < 0.03)
    phones[shared] = phones[rng.integers(0, n, shared.size)]

    geo_w = np.array([g[4] for g in _GEO], dtype=float)
    geo_idx = rng.choice(len(_GEO), n, p=geo_w / geo_w.sum())
    district_pick = rng.integers(0, 1000, n)
    street_idx = rng.integers(0, len(_STREETS), n)
    street_no = rng.integers(1, 400, n)
    community = rng.integers(0, len(_COMMUNITIES), n)
    building = rng.integers(1, 30, n)
    room = rng.integers(101, 2500, n)
    provinces, cities, districts, addresses, postcodes = [], [], [], [], []
    for i in range(n):
        prov, city, pc, dists, _ = _GEO[geo_idx[i]]
        d = district_pick[i] % len(dists)
        provinces.append(prov)
        cities.append(city)
        districts.append(dists[d])
        # Street-level postcode: prefix + district + street digit.
        postcodes.append(f"{pc[:4]}{d}{street_idx[i] % 10}")
        addresses.append(
            f"{prov if prov != city else ''}{city}{dists[d]}{_STREETS[street_idx[i]]}{street_no[i]}号"
            f"{_COMMUNITIES[community[i]]}{building[i]}栋{room[i]}室"
        )

    email_user_style = rng.integers(0, 3, n)
    email_domain = _EMAIL_DOMAINS[rng.integers(0, len(_EMAIL_DOMAINS), n)]
    email_digits = rng.integers(0, 10000, n)
    qq = rng.integers(10**7, 3 * 10**9, n)
    emails = []
    for i in range(n):
        if email_user_style[i] == 0:
            emails.append(f"{qq[i]}@qq.com")
        else:
            syl = _syllables(names[i])
            sep = "." if email_user_style[i] == 1 else ""
            emails.append(f"{syl[0]}{sep}{''.join(syl[1:])}{email_digits[i]}@{email_domain[i]}")

    seq = rng.integers(0, 1000, n)
    regions = np.char.add(
        np.array([_GEO[g][2][:2] for g in geo_idx]), rng.integers(1000, 9999, n).astype(str)
    )
    id_numbers = [_id_number(regions[i], ymd[i], seq[i]) for i in range(n)]

    company = [
        f"{cities[i].rstrip('市')}{_COMPANY_WORDS[a]}{_COMPANY_TRADES[b]}{_COMPANY_FORMS[c]}"
        for i, (a, b, c) in enumerate(
            zip(
                rng.integers(0, len(_COMPANY_WORDS), n),
                rng.integers(0, len(_COMPANY_TRADES), n),
                rng.integers(0, len(_COMPANY_FORMS), n),
                strict=True,
            )
        )
    ]
    return pd.DataFrame(
        {
            "name": names,
            "phone": phones,
            "email": emails,
            "birthday": ymd,
            "province": provinces,
            "city": cities,
            "district": districts,
            "address": addresses,
            "postcode": postcodes,
            "id_number": id_numbers,
            "company": company,
        }
    )


def _vary_name(name: str, rng: np.random.Generator) -> str:
    """A different way of writing the same person's name."""
    r = rng.random()
    if r < 0.30:
        return _S2T.convert(name)
    if r < 0.60:
        return _pinyin_render(name, rng)
    if r < 0.85:
        # IME homophone in the given name.
        chars = list(name)
        for j in range(len(chars) - 1, 0, -1):
            if chars[j] in _HOMOPHONES:
                chars[j] = _HOMOPHONES[chars[j]]
                return "".join(chars)
        return name
    return " ".join(name) if rng.random() < 0.5 else f"{name[0]} {name[1:]}"


def _vary_address(address: str, row: dict, rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.3:
        return address.replace(row["province"], "", 1)  # province omitted
    if r < 0.55:
        return address.split("号", 1)[0] + "号"  # no building / room
    if r < 0.75:
        return _S2T.convert(address)
    if r < 0.9:
        return address.replace("市", "", 1).replace("区", "", 1)
    return address


def _corrupt(row: dict, rng: np.random.Generator) -> dict:
    """A duplicate record: same person, typed again by someone else."""
    row = dict(row)
    row["name"] = _vary_name(row["name"], rng) if rng.random() < 0.6 else row["name"]
    r = rng.random()
    if r < 0.10:
        row["phone"] = None
    elif r < 0.18:  # changed number
        row["phone"] = f"1{rng.integers(3, 10)}{rng.integers(0, 10**9):09d}"
    elif r < 0.22:  # one-digit typo
        p = list(row["phone"])
        j = int(rng.integers(3, 11))
        p[j] = str((int(p[j]) + 1) % 10)
        row["phone"] = "".join(p)
    r = rng.random()
    if r < 0.3:
        row["email"] = None
    elif r < 0.4 and row["email"]:  # a new mailbox
        row["email"] = f"{rng.integers(10**7, 3 * 10**9)}@qq.com"
    if rng.random() < 0.4:
        row["address"] = _vary_address(row["address"], row, rng)
    if rng.random() < 0.15:
        row["address"] = None
    r = rng.random()
    if r < 0.1:
        row["birthday"] = None
    elif r < 0.15:
        b = row["birthday"]
        if int(b[6:]) <= 12:
            row["birthday"] = b[:4] + b[6:] + b[4:6]  # day-month swapped
    if rng.random() < 0.2:
        row["city"] = row["city"].rstrip("市")
    if rng.random() < 0.2:
        row["postcode"] = None
    if rng.random() < 0.5:
        row["id_number"] = None
    return row


def generate_customers(n: int, dup_rate: float = 0.05, seed: int = 0) -> SyntheticData:
    """``n`` customer rows, of which ~``dup_rate`` are duplicates of another row.

    Columns: id, name, phone, email, birthday, city, address, postcode,
    id_number, company (sparsely filled, in varied formats).
    """
    rng = np.random.default_rng(seed)
    n_dup = int(round(n * dup_rate))
    n_entities = n - n_dup
    base = _entities(n_entities, rng)
    entity = np.arange(n_entities)

    # Duplicates point at a random entity; ~15% of those entities get two.
    dup_of = rng.integers(0, n_entities, n_dup)
    dup_rows = [_corrupt(r, rng) for r in base.iloc[dup_of].to_dict("records")]
    frame = pd.concat([base, pd.DataFrame(dup_rows)], ignore_index=True)
    entity = np.concatenate([entity, dup_of])

    # Rendering noise that applies to every record, originals included.
    m = len(frame)
    phone_style = rng.integers(0, 8, m)
    frame["phone"] = [
        None if p is None else _render_phone(p, s)
        for p, s in zip(frame["phone"], phone_style, strict=True)
    ]
    bstyle = rng.integers(0, 4, m)
    frame["birthday"] = [
        None if b is None else _render_birthday(b, s)
        for b, s in zip(frame["birthday"], bstyle, strict=True)
    ]
    trad = rng.random(m) < 0.05
    frame.loc[trad, "name"] = [_S2T.convert(x) for x in frame.loc[trad, "name"]]
    frame.loc[rng.random(m) < 0.25, "email"] = None
    frame.loc[rng.random(m) < 0.6, "id_number"] = None
    frame.loc[rng.random(m) < 0.8, "company"] = None
    frame.loc[rng.random(m) < 0.05, "birthday"] = None

    # Shuffle so duplicates are not all at the end, then assign ids.
    order = rng.permutation(m)
    frame = frame.iloc[order].reset_index(drop=True)
    entity = entity[order]
    frame.insert(0, "id", [f"C{i:07d}" for i in range(m)])
    frame = frame.drop(columns=["province", "district"])
    return SyntheticData(customers=frame, entity_id=entity)
