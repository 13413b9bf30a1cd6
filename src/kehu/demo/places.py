"""Where demo customers live: three sales regions with their provinces, cities, districts,
postcodes, telephone area codes and shopping districts, and the streets that addresses are
made of."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kehu.demo.common import words


@dataclass(frozen=True)
class City:
    name: str
    name_en: str
    province: str
    region: str
    weight: float  # share of the region's customers
    area_code: str  # fixed-line area code without the leading 0
    admin_code: str  # 6-digit administrative code, the start of a company's credit code
    districts: tuple[tuple[str, str], ...]  # (district, postcode)
    trade_areas: tuple[str, ...]


REGIONS = ("华东", "华北", "华南")
REGION_WEIGHTS = np.array([0.5, 0.25, 0.25])

CITIES = (
    City(
        "上海", "Shanghai", "上海市", "华东", 0.26, "21", "310115",
        (("浦东新区", "200120"), ("徐汇区", "200030"), ("静安区", "200040"), ("长宁区", "200050"),
         ("普陀区", "200333"), ("杨浦区", "200090"), ("闵行区", "201100"), ("黄浦区", "200001")),
        ("陆家嘴", "徐家汇", "南京西路", "五角场", "中山公园"),
    ),
    City(
        "杭州", "Hangzhou", "浙江省", "华东", 0.14, "571", "330106",
        (("西湖区", "310013"), ("上城区", "310002"), ("拱墅区", "310011"), ("滨江区", "310051"),
         ("余杭区", "311100"), ("萧山区", "311200")),
        ("武林", "湖滨", "钱江新城", "滨江"),
    ),
    City(
        "南京", "Nanjing", "江苏省", "华东", 0.12, "25", "320106",
        (("鼓楼区", "210009"), ("玄武区", "210018"), ("秦淮区", "210001"), ("建邺区", "210019"),
         ("江宁区", "211100")),
        ("新街口", "河西", "湖南路"),
    ),
    City(
        "苏州", "Suzhou", "江苏省", "华东", 0.12, "512", "320508",
        (("姑苏区", "215008"), ("工业园区", "215021"), ("吴中区", "215128"), ("相城区", "215131")),
        ("观前街", "金鸡湖", "石路"),
    ),
    City(
        "宁波", "Ningbo", "浙江省", "华东", 0.08, "574", "330203",
        (("海曙区", "315000"), ("鄞州区", "315100"), ("江北区", "315020")),
        ("天一广场", "鄞州万达"),
    ),
    City(
        "合肥", "Hefei", "安徽省", "华东", 0.08, "551", "340104",
        (("蜀山区", "230031"), ("包河区", "230041"), ("庐阳区", "230001"), ("瑶海区", "230011")),
        ("三孝口", "天鹅湖"),
    ),
    City(
        "济南", "Jinan", "山东省", "华东", 0.07, "531", "370102",
        (("历下区", "250014"), ("市中区", "250001"), ("槐荫区", "250022"), ("天桥区", "250031")),
        ("泉城路", "经四路"),
    ),
    City(
        "青岛", "Qingdao", "山东省", "华东", 0.07, "532", "370202",
        (("市南区", "266001"), ("市北区", "266011"), ("崂山区", "266100"), ("黄岛区", "266400")),
        ("香港中路", "台东"),
    ),
    City(
        "厦门", "Xiamen", "福建省", "华东", 0.06, "592", "350203",
        (("思明区", "361001"), ("湖里区", "361006"), ("集美区", "361021")),
        ("中山路", "SM商圈"),
    ),
    City(
        "北京", "Beijing", "北京市", "华北", 0.5, "10", "110105",
        (("朝阳区", "100020"), ("海淀区", "100080"), ("东城区", "100010"), ("西城区", "100032"),
         ("丰台区", "100071"), ("通州区", "101100"), ("昌平区", "102200")),
        ("三里屯", "国贸", "中关村", "王府井", "望京"),
    ),
    City(
        "天津", "Tianjin", "天津市", "华北", 0.25, "22", "120101",
        (("和平区", "300041"), ("河西区", "300202"), ("南开区", "300100"), ("滨海新区", "300450")),
        ("滨江道", "小白楼"),
    ),
    City(
        "石家庄", "Shijiazhuang", "河北省", "华北", 0.13, "311", "130102",
        (("长安区", "050011"), ("桥西区", "050051"), ("新华区", "050051"), ("裕华区", "050031")),
        ("北国商城", "万象城"),
    ),
    City(
        "太原", "Taiyuan", "山西省", "华北", 0.12, "351", "140105",
        (("小店区", "030032"), ("迎泽区", "030002"), ("杏花岭区", "030009")),
        ("柳巷", "亲贤街"),
    ),
    City(
        "广州", "Guangzhou", "广东省", "华南", 0.34, "20", "440106",
        (("天河区", "510630"), ("越秀区", "510030"), ("海珠区", "510220"), ("番禺区", "511400"),
         ("白云区", "510405")),
        ("天河路", "北京路", "珠江新城", "江南西"),
    ),
    City(
        "深圳", "Shenzhen", "广东省", "华南", 0.34, "755", "440305",
        (("南山区", "518052"), ("福田区", "518033"), ("罗湖区", "518001"), ("宝安区", "518101"),
         ("龙岗区", "518172")),
        ("华强北", "海岸城", "东门", "科技园"),
    ),
    City(
        "佛山", "Foshan", "广东省", "华南", 0.12, "757", "440604",
        (("禅城区", "528000"), ("南海区", "528200"), ("顺德区", "528300")),
        ("祖庙", "千灯湖"),
    ),
    City(
        "东莞", "Dongguan", "广东省", "华南", 0.1, "769", "441900",
        (("南城街道", "523071"), ("东城街道", "523128"), ("长安镇", "523850")),
        ("鸿福路", "东城万达"),
    ),
    City(
        "南宁", "Nanning", "广西壮族自治区", "华南", 0.1, "771", "450103",
        (("青秀区", "530022"), ("兴宁区", "530012"), ("西乡塘区", "530001")),
        ("朝阳广场", "万象城"),
    ),
)  # fmt: skip

CITY_NAMES = tuple(c.name for c in CITIES)
CITY_REGION = np.array([REGIONS.index(c.region) for c in CITIES])
# Probability of each city given the region (weights are shares within the region).
CITY_P_BY_REGION = tuple(
    np.array([c.weight if c.region == r else 0.0 for c in CITIES])
    / sum(c.weight for c in CITIES if c.region == r)
    for r in REGIONS
)

ROADS = words(
    "中山路 人民路 解放路 建设路 和平路 新华路 胜利路 文化路 青年路 长江路 延安路 南京路 "
    "淮海路 滨江大道 科技路 学院路 复兴路 光明路 幸福路 朝阳路 东风路 黄河路 迎宾大道 "
    "世纪大道 花园路 工业路 金融街 体育路"
)
ESTATES = words("阳光花园 绿地小区 万科城 碧桂园 金色家园 翠湖苑 锦绣华庭 和谐家园 水岸名都")
TOWERS = words("国际大厦 财富中心 科技大厦 商务中心 金融广场 创业园")

# Spelling slips in a re-typed address: a road name misheard, a number's digits swapped.
ROAD_TYPOS = {"中山路": "钟山路", "人民路": "仁民路", "建设路": "健设路", "和平路": "合平路",
              "新华路": "新桦路", "长江路": "常江路", "延安路": "延按路", "光明路": "光名路",
              "幸福路": "幸富路", "学院路": "学苑路"}  # fmt: skip


def street(rng: np.random.Generator, company: bool) -> str:
    road = ROADS[int(rng.integers(len(ROADS)))]
    number = int(rng.integers(1, 999))
    if company:
        tower = TOWERS[int(rng.integers(len(TOWERS)))]
        return f"{road}{number}号{tower}{int(rng.integers(2, 40))}楼"
    if rng.random() < 0.7:
        estate = ESTATES[int(rng.integers(len(ESTATES)))]
        building, room = int(rng.integers(1, 30)), int(rng.integers(101, 2806))
        return f"{road}{number}号{estate}{building}栋{room}室"
    return f"{road}{number}号"


def typo_street(rng: np.random.Generator, text: str) -> str:
    """The address as someone else typed it: a misheard road name or swapped digits."""
    for right, wrong in ROAD_TYPOS.items():
        if right in text and rng.random() < 0.7:
            return text.replace(right, wrong, 1)
    digits = [i for i in range(len(text) - 1) if text[i].isdigit() and text[i + 1].isdigit()]
    if digits:
        i = digits[int(rng.integers(len(digits)))]
        if text[i] != text[i + 1]:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text.replace("号", "", 1)  # "中山路12" — the 号 left out
