"""The organisation around the demo customers: regions, teams, users (one login per role),
channel partners, products, campaigns and tags. A few dozen rows, written with the ORM and
reused when the demo is built again into the same database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from kehu.core.models import Partner, Profile, Region, Role, Team
from kehu.customers.models import Channel, Tag
from kehu.demo.common import words
from kehu.demo.places import REGIONS
from kehu.sales.models import Campaign, Product

# Published in the README and printed by the command: the demo is for trying Kehu out.
DEMO_PASSWORD = "kehu-demo"  # noqa: S105

# (username, display name, role, region index or None). These can log in.
LOGINS = (
    ("admin", "系统管理员", Role.ADMIN, None),
    ("manager", "陈静", Role.MANAGER, 0),
    ("sales", "王磊", Role.SALES, 0),
    ("sales2", "李娜", Role.SALES, 1),
    ("sales3", "张强", Role.SALES, 2),
    ("service", "刘芳", Role.SERVICE, None),
    ("analyst", "赵敏", Role.ANALYST, None),
    ("partner", "周杰", Role.PARTNER, None),
    # Linked to one demo customer by demo/portal.py: signs in to the customer portal.
    ("customer", "客户", Role.CUSTOMER, None),
)
# Colleagues who own customers, manage the other teams and take tickets, but have no
# password: the demo logins stay the only way in.
REPS = (
    ("吴昊", "郑洁", "孙鹏", "马丽", "朱涛"),
    ("徐斌", "胡静", "郭亮", "何敏", "高峰"),
    ("林欣", "罗军", "梁婷", "谢宇", "宋燕"),
)
REGION_MANAGERS = (None, "孙伟", "黄丽")
SERVICE_AGENTS = ("唐颖", "韩冬", "冯雪")
PARTNERS = (
    ("上海宏达商贸有限公司", Partner.Kind.DEALER, 0, "上海"),
    ("杭州瑞丰电器经销部", Partner.Kind.DEALER, 0, "杭州"),
    ("南京百川贸易有限公司", Partner.Kind.DISTRIBUTOR, 0, "南京"),
    ("北京金桥商贸有限公司", Partner.Kind.DEALER, 1, "北京"),
    ("天津永安电器行", Partner.Kind.AGENT, 1, "天津"),
    ("广州海纳电器有限公司", Partner.Kind.DEALER, 2, "广州"),
    ("深圳星河数码科技有限公司", Partner.Kind.RESELLER, 2, "深圳"),
)
# (sku, name, category, list price, unit cost, popularity, for companies only)
PRODUCTS = (
    ("WP-RO600", "RO反渗透净水器 600G", "净水", 2999, 1650, 3, False),
    ("WP-RO1000", "RO反渗透净水器 1000G", "净水", 4599, 2480, 1, False),
    ("FL-PP", "PP棉滤芯", "滤芯耗材", 89, 30, 12, False),
    ("FL-RO", "RO膜滤芯", "滤芯耗材", 499, 210, 6, False),
    ("FL-CT", "活性炭滤芯", "滤芯耗材", 129, 45, 9, False),
    ("AP-A300", "空气净化器 A300", "空气净化", 1899, 1050, 3, False),
    ("AP-A500", "空气净化器 A500 Pro", "空气净化", 3599, 1900, 1.5, False),
    ("FL-HEPA", "HEPA复合滤网", "滤芯耗材", 299, 110, 7, False),
    ("CL-S7", "扫地机器人 S7", "清洁电器", 2499, 1450, 2.5, False),
    ("CL-V8", "无线吸尘器 V8", "清洁电器", 1699, 920, 2.5, False),
    ("CL-W3", "洗地机 W3", "清洁电器", 2899, 1600, 1.5, False),
    ("KT-RC", "IH电饭煲", "厨房电器", 499, 260, 4, False),
    ("KT-BL", "破壁料理机", "厨房电器", 899, 450, 3, False),
    ("KT-AF", "空气炸锅", "厨房电器", 399, 190, 5, False),
    ("KT-KE", "恒温电热水壶", "厨房电器", 159, 70, 6, False),
    ("PC-TB", "声波电动牙刷", "个护", 299, 110, 5, False),
    ("PC-TH", "牙刷头（4支装）", "个护", 69, 18, 8, False),
    ("PC-HD", "高速吹风机", "个护", 599, 260, 3, False),
    ("SV-EW1", "延长保修 1 年", "服务", 199, 40, 4, False),
    ("SV-INS", "上门安装", "服务", 150, 90, 3, False),
    ("SV-CLN", "深度清洗服务", "服务", 268, 150, 2, False),
    ("BZ-WP1", "商用净水机 C1", "商用设备", 12800, 7600, 2, True),
    ("BZ-AP1", "商用空气净化器 C5", "商用设备", 8800, 5200, 2, True),
    ("BZ-DSP", "饮水机（年租）", "商用设备", 1200, 500, 4, True),
    ("BZ-FLK", "商用滤芯套装", "滤芯耗材", 1580, 620, 6, True),
)
# (code suffix, name, month, first day, last day, channel)
CAMPAIGNS = (
    ("spring", "春节焕新季", 1, 15, 31, Channel.WEB),
    ("member", "3·15 会员日", 3, 10, 15, Channel.EMAIL),
    ("618", "618 年中大促", 6, 1, 18, Channel.WEB),
    ("school", "开学季", 8, 20, 31, Channel.CHAT),
    ("national", "国庆焕新", 10, 1, 7, Channel.STORE),
    ("1111", "双十一", 11, 1, 11, Channel.WEB),
    ("1212", "双十二", 12, 8, 12, Channel.WEB),
)
TAGS = {
    Tag.Category.INTEREST: words("户外运动 烹饪 母婴 宠物 数码 旅行 健身 阅读 茶道 摄影 家居装修"),
    Tag.Category.LIFESTYLE: words("有车族 新婚 退休 学生 家有老人 白领 养宠家庭 二胎家庭"),
    Tag.Category.GENERAL: words("VIP 价格敏感 需回访"),
}


@dataclass
class Org:
    """Ids of the reference rows, as numpy arrays the generators index into."""

    region_ids: np.ndarray
    team_ids: np.ndarray
    reps: list[np.ndarray]  # per region: user ids owning customers
    rep_weights: list[np.ndarray]
    managers: np.ndarray  # per region: the team manager's user id
    admin_id: int
    service_agents: np.ndarray
    partner_ids: np.ndarray
    partner_region: np.ndarray
    partner_user: np.ndarray  # user id per partner, -1 when none
    product_ids: np.ndarray
    product_price: np.ndarray  # cents
    product_cost: np.ndarray  # cents
    product_popularity: np.ndarray
    product_business: np.ndarray  # bool: sold to companies only
    campaign_ids: np.ndarray
    campaign_start: np.ndarray  # day offsets from the as-of date
    campaign_end: np.ndarray
    tag_ids: dict[str, np.ndarray]
    logins: list[tuple[str, str]]  # (username, role label)


def _user(username: str, name: str, password: str | None, **flags):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name = name
    user.is_active = True
    for key, value in flags.items():
        setattr(user, key, value)
    if password:
        user.password = password
    else:
        user.set_unusable_password()
    user.save()
    return user


def _profile(user, role: str, team=None, partner=None) -> None:
    Profile.objects.update_or_create(
        user=user, defaults={"role": role, "team": team, "partner": partner}
    )


def existing_logins() -> list[tuple[str, str]]:
    """(username, role label) of the demo users still present and active in this database."""
    from django.contrib.auth import get_user_model

    present = dict(
        get_user_model()
        .objects.filter(username__in=[login[0] for login in LOGINS], is_active=True)
        .values_list("username", "profile__role")
    )
    return [
        (username, str(Role(present[username]).label))
        for username, *_rest in LOGINS
        if present.get(username)
    ]


def ensure_org(as_of: dt.date, years: int) -> Org:
    regions = [Region.objects.get_or_create(name=name)[0] for name in REGIONS]
    teams = [
        Team.objects.update_or_create(name=f"{name}销售部", defaults={"region": region})[0]
        for name, region in zip(REGIONS, regions, strict=True)
    ]
    partners = [
        Partner.objects.update_or_create(
            name=name, defaults={"kind": kind, "region": regions[r], "city": city}
        )[0]
        for name, kind, r, city in PARTNERS
    ]
    # One hash for every demo login: hashing is deliberately slow (PBKDF2's iterations).
    password = make_password(DEMO_PASSWORD)
    logins, by_name = [], {}
    for username, name, role, r in LOGINS:
        superuser = role == Role.ADMIN
        user = _user(username, name, password, is_staff=superuser, is_superuser=superuser)
        team = teams[r] if r is not None else None
        _profile(user, role, team=team, partner=partners[0] if role == Role.PARTNER else None)
        logins.append((username, str(Role(role).label)))
        by_name[username] = user
    teams[0].managers.add(by_name["manager"])
    managers = [by_name["manager"].pk]
    for r, name in enumerate(REGION_MANAGERS[1:], start=1):
        user = _user(f"manager-{r}", name, None)
        _profile(user, Role.MANAGER, team=teams[r])
        teams[r].managers.add(user)
        managers.append(user.pk)
    reps, weights = [], []
    for r, names in enumerate(REPS):
        login = by_name[("sales", "sales2", "sales3")[r]]
        ids = [login.pk]
        for k, name in enumerate(names, start=1):
            user = _user(f"rep-{r + 1}-{k}", name, None)
            _profile(user, Role.SALES, team=teams[r])
            ids.append(user.pk)
        reps.append(np.array(ids))
        # The demo login holds a fair share of the team's book, so it has plenty to show.
        w = np.array([0.2] + [0.16] * len(names))
        weights.append(w / w.sum())
    agents = [by_name["service"].pk]
    for k, name in enumerate(SERVICE_AGENTS, start=1):
        user = _user(f"agent-{k}", name, None)
        _profile(user, Role.SERVICE)
        agents.append(user.pk)
    partner_user = [by_name["partner"].pk] + [-1] * (len(partners) - 1)

    products = [
        Product.objects.update_or_create(
            sku=sku,
            defaults={"name": name, "category": cat, "price": price, "unit_cost": cost},
        )[0]
        for sku, name, cat, price, cost, _pop, _biz in PRODUCTS
    ]
    campaigns, starts, ends = [], [], []
    for year in range(as_of.year - years, as_of.year + 1):
        for code, name, month, first, last, channel in CAMPAIGNS:
            start, end = dt.date(year, month, first), dt.date(year, month, last)
            if end > as_of or start < as_of - dt.timedelta(days=365 * years):
                continue
            campaign = Campaign.objects.update_or_create(
                code=f"{year}-{code}",
                defaults={
                    "name": f"{year} {name}",
                    "channel": channel,
                    "starts_on": start,
                    "ends_on": end,
                },
            )[0]
            campaigns.append(campaign.pk)
            starts.append((start - as_of).days)
            ends.append((end - as_of).days)
    tag_ids = {
        str(category): np.array(
            [Tag.objects.get_or_create(name=n, defaults={"category": category})[0].pk for n in ns]
        )
        for category, ns in TAGS.items()
    }
    return Org(
        region_ids=np.array([r.pk for r in regions]),
        team_ids=np.array([t.pk for t in teams]),
        reps=reps,
        rep_weights=weights,
        managers=np.array(managers),
        admin_id=by_name["admin"].pk,
        service_agents=np.array(agents),
        partner_ids=np.array([p.pk for p in partners]),
        partner_region=np.array([r for _n, _k, r, _c in PARTNERS]),
        partner_user=np.array(partner_user),
        product_ids=np.array([p.pk for p in products]),
        product_price=np.array([row[3] * 100 for row in PRODUCTS], dtype=np.int64),
        product_cost=np.array([row[4] * 100 for row in PRODUCTS], dtype=np.int64),
        product_popularity=np.array([row[5] for row in PRODUCTS], dtype=float),
        product_business=np.array([row[6] for row in PRODUCTS]),
        campaign_ids=np.array(campaigns, dtype=np.int64),
        campaign_start=np.array(starts, dtype=np.int64),
        campaign_end=np.array(ends, dtype=np.int64),
        tag_ids=tag_ids,
        logins=logins,
    )
