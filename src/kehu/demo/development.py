"""Demo leads and cards (issue #14): leads from every source, cards in every grade, review
and contact cadences both met and missed, some leads qualified, converted or disqualified.

Written through kehu.development.services (a few hundred leads, not millions), so every
rule — validation, numbering, grade history, conversion — is the one the pages use."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from kehu.core import audit
from kehu.core.models import Partner
from kehu.customers.models import Customer
from kehu.development import greetings, services, touches
from kehu.development.models import Card, Lead
from kehu.sales.models import Campaign

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "军", "杰", "娟", "涛", "明", "超"]
COMPANIES = ["建材", "贸易", "科技", "餐饮", "物流", "家居", "电器", "服饰"]
CITIES = ["上海", "杭州", "南京", "苏州", "北京", "广州", "深圳", "成都"]


def lead_count(customers: int) -> int:
    return max(40, min(400, customers // 20))


def build_development(options: Any, org: Any) -> int:
    """Leads for the demo's reps (``org.reps``); returns how many were written."""
    as_of = options.as_of
    rng = random.Random(options.seed * 7919 + 14)
    reps = [int(user_id) for region in org.reps for user_id in region]
    users = list(get_user_model().objects.filter(pk__in=reps).order_by("id"))
    if not users:
        return 0
    referrers = list(Customer.objects.filter(external_id__startswith="demo-").order_by("id")[:200])
    partners = list(Partner.objects.filter(is_active=True).order_by("id"))
    campaigns = list(Campaign.objects.order_by("id")[:20])
    sources = list(Lead.Source.values)
    n = lead_count(options.customers)
    with audit.acting_as(None, "demo"):
        for i in range(n):
            _one(i, rng, as_of, users, sources, referrers, partners, campaigns)
        # Its own generator: the leads above stay as they were before touches existed.
        _touches(random.Random(options.seed * 7919 + 15), as_of)
    return n


FESTIVALS = ("spring_festival", "mid_autumn_festival", "dragon_boat_festival")


def _touches(rng: random.Random, as_of: dt.date) -> None:
    """Touches (F5): birthdays and chosen dates (a lunar birthday, festivals) on some leads,
    visits and invitations to do (some overdue, some done and logged), and the greetings
    the nightly job writes for the week ahead."""
    leads = list(Lead.objects.exclude(status=Lead.Status.CONVERTED).order_by("id"))
    for i, lead in enumerate(leads):
        owner = lead.owner
        if i % 3 == 0:
            lead.birthday = dt.date(rng.randrange(1960, 2000), as_of.month, 1) + dt.timedelta(
                days=rng.randrange(0, 28)
            )
            lead.save()
        if i % 5 == 0:
            touches.special_date_add(
                by=owner,
                holder=lead,
                label="农历生日",
                calendar="lunar",
                month=rng.randrange(1, 13),
                day=rng.randrange(1, 29),
            )
        if i % 6 == 0:
            festival = FESTIVALS[i % len(FESTIVALS)]
            touches.special_date_add(
                by=owner, holder=lead, label="节日问候", calendar="festival", festival=festival
            )
        if i % 4 == 0:
            kind = "visit" if i % 8 == 0 else "invitation"
            title = "上门拜访" if kind == "visit" else "邀请参加新品发布会"
            task = touches.task_create(
                by=owner,
                kind=kind,
                title=title,
                holder=lead,
                due_on=as_of + dt.timedelta(days=rng.randrange(-10, 15)),
            )
            if i % 12 == 0:
                touches.task_done(task=task, by=owner, notes="已完成")
    greetings.generate(on=as_of, by=None, days_ahead=7)


def _one(i, rng, as_of, users, sources, referrers, partners, campaigns) -> None:
    owner = users[i % len(users)]
    source = sources[i % len(sources)]
    company = rng.random() < 0.4
    name = (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")
    )
    digits = rng.randrange(10**7, 10**8)
    fields: dict[str, Any] = {
        "kind": "company" if company else "person",
        "name": (name[0] + "氏" + rng.choice(COMPANIES)) if company else name,
        "company": "",
        "phone": f"+86139{digits}",
        "email": f"lead{i}.{digits % 9973}@example.cn" if rng.random() < 0.5 else "",
        "city": rng.choice(CITIES),
        "source": source,
    }
    if source == Lead.Source.REFERRAL and referrers:
        fields["referred_by"] = rng.choice(referrers)
    if source == Lead.Source.PARTNER and partners:
        fields["partner"] = rng.choice(partners)
    if source == Lead.Source.MAILING and campaigns:
        fields["campaign"] = rng.choice(campaigns)
    grade = "ABC"[i % 3]
    lead = services.lead_create(by=owner, owner=owner, grade=grade, **fields)
    card = Card.objects.get(lead=lead)
    # Cadences met and missed: the last call some months back, so the next is due in the
    # future for some cards and overdue for others.
    services.card_contacted(
        card=card, kind="call", by=owner, on=as_of - dt.timedelta(days=rng.randrange(0, 240))
    )
    services.card_contacted(
        card=card, kind="visit", by=owner, on=as_of - dt.timedelta(days=rng.randrange(0, 400))
    )
    if i % 5 == 0:
        services.card_regrade(
            card=card, grade="ABC"[(i // 3 + 1) % 3], reason="季度评审调整", by=owner
        )
    answers = (
        ["yes", "yes", "yes"]
        if i % 4 in (0, 1)
        else [rng.choice(["yes", "no", "unknown"]) for _ in range(3)]
    )
    lead = services.lead_qualify(
        lead=lead, by=owner, money=answers[0], authority=answers[1], need=answers[2]
    )
    if lead.qualified and i % 8 == 0:
        services.lead_convert(lead=lead, by=owner, allow_duplicate=True)
    elif not lead.qualified and i % 7 == 0:
        services.lead_disqualify(lead=lead, by=owner, reason="暂无预算")
