"""Contacts with the batch's customers: interactions on every channel from sales, service,
billing, marketing and the dealers; service tickets (kehu.demo.tickets); and the few tasks
still open on the as-of day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kehu.customers.models import Interaction
from kehu.demo.commerce import Alloc, Commerce
from kehu.demo.common import Clock, Table, weighted_index, words
from kehu.demo.customers import Plan, owner_on
from kehu.demo.org import Org
from kehu.demo.tickets import build_tickets
from kehu.retention.models import Task

CHANNELS = ("phone", "field", "store", "chat", "email", "mail", "fax", "web", "partner")
# Per department: channel weights (in CHANNELS order), share inbound, subjects, outcomes.
DEPARTMENTS = {
    "sales": (
        (0.4, 0.15, 0.2, 0.15, 0.1, 0, 0, 0, 0),
        0.2,
        words("产品介绍 报价跟进 老客户回访 新品推荐 续约洽谈 到店体验邀约 方案讲解"),
        ("done", "follow_up", "no_answer", "sale"),
    ),
    "service": (
        (0.5, 0, 0.1, 0.25, 0.15, 0, 0, 0, 0),
        0.8,
        words("安装预约 使用咨询 故障报修 滤芯更换提醒 投诉处理回访 退换货咨询"),
        ("resolved", "done", "complaint", "follow_up"),
    ),
    "billing": (
        (0.5, 0, 0, 0, 0.3, 0.1, 0.1, 0, 0),
        0.1,
        words("付款提醒 发票寄送 对账确认 逾期催收"),
        ("done", "follow_up", "no_answer"),
    ),
    "marketing": (
        (0, 0, 0, 0.3, 0.4, 0.15, 0, 0.15, 0),
        0.0,
        words("会员日活动邀请 双十一优惠券 新品试用邀请 满意度调查"),
        ("", "done"),
    ),
    "partner": (
        (0, 0, 0, 0, 0, 0, 0, 0, 1.0),
        0.5,
        words("经销商上门安装 经销商回访 经销商售后维修"),
        ("done", "resolved"),
    ),
}
DEPTS = tuple(DEPARTMENTS)
MINUTES = {"phone": (2, 25), "field": (30, 120), "store": (10, 60), "chat": (5, 30)}


@dataclass
class Service:
    interactions: Table
    tickets: Table
    ticket_messages: Table
    tasks: Table


def _days(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    hi = np.maximum(hi, lo)
    return lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)


def _active_span(plan: Plan, commerce: Commerce) -> tuple[np.ndarray, np.ndarray]:
    """Days in which a customer is in touch: from acquisition (or the window start) until
    three months after the last order for those who stopped buying, else until today."""
    start = np.maximum(plan.acq_day, plan.a1)
    stopped = plan.is_("lapsing") | plan.is_("lost")
    end = np.where(stopped, np.minimum(commerce.last_order_day + 90, 0), 0)
    return start, np.maximum(end, start)


def build_service(
    rng: np.random.Generator, plan: Plan, org: Org, clock: Clock, alloc: Alloc, commerce: Commerce
) -> Service:
    start, end = _active_span(plan, commerce)
    prospect = plan.is_("prospect")
    orders = commerce.order_count
    heavy_service = plan.is_("service_heavy")
    debtors = plan.is_("late_payer") | plan.is_("bad_debt")
    idx = np.arange(plan.n)

    # (customer, department, lo day, hi day) of each interaction, by where it comes from.
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(count: np.ndarray, dept: str | np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        c = np.repeat(idx, count)
        d = np.full(len(c), DEPTS.index(dept)) if isinstance(dept, str) else dept
        parts.append((c, d, np.repeat(lo, count), np.repeat(hi, count)))

    general = rng.poisson(np.where(prospect, 1.5, 1.2 + 0.25 * np.minimum(orders, 20)))
    general[plan.duplicate] = rng.poisson(0.5, int(plan.duplicate.sum()))
    dept = rng.choice(4, size=int(general.sum()), p=[0.5, 0.25, 0.05, 0.2])
    add(general, np.array([0, 1, 2, 3])[dept], start, end)
    add(np.where(heavy_service, 8 + rng.poisson(6, plan.n), 0), "service", start, end)
    add(np.where(debtors, 2 + rng.poisson(2, plan.n), 0), "billing", start, end)
    stopped = plan.is_("lapsing") | plan.is_("lost")
    last = np.maximum(commerce.last_order_day, start)
    add(np.where(stopped, 1 + (rng.random(plan.n) < 0.5), 0), "sales", last + 60, last + 150)
    won = plan.is_("won_back")
    add(np.where(won, 2, 0), "sales", plan.a2 - 30, plan.a2)
    add(np.where(plan.shared_with >= 0, rng.poisson(1.5, plan.n), 0), "partner", start, end)

    cust = np.concatenate([p[0] for p in parts])
    dept = np.concatenate([p[1] for p in parts])
    day = np.minimum(_days(rng, np.concatenate([p[2] for p in parts]),
                           np.concatenate([p[3] for p in parts])), 0)  # fmt: skip
    interactions = _interactions(rng, plan, org, clock, alloc, cust, dept, day)
    service = build_tickets(rng, plan, org, clock, alloc, start, end, commerce)
    return Service(
        interactions=interactions,
        tickets=service.tickets,
        ticket_messages=service.messages,
        tasks=_tasks(rng, plan, org, clock, alloc, commerce),
    )


def _interactions(rng, plan: Plan, org: Org, clock: Clock, alloc: Alloc, cust, dept, day):
    m = len(cust)
    weights = np.array([DEPARTMENTS[d][0] for d in DEPTS], dtype=float)[dept]
    company = plan.company[cust]
    weights[:, 1] *= np.where(company, 3.0, 0.1)  # field visits are for business customers
    weights[:, 6] *= company  # so is the fax
    channel = np.array(CHANNELS, dtype=object)[weighted_index(rng, weights)]
    inbound = rng.random(m) < np.array([DEPARTMENTS[d][1] for d in DEPTS])[dept]
    subject = np.empty(m, dtype=object)
    outcome = np.empty(m, dtype=object)
    for k, d in enumerate(DEPTS):
        here = dept == k
        subjects, outcomes = DEPARTMENTS[d][2], DEPARTMENTS[d][3]
        subject[here] = np.array(subjects, dtype=object)[rng.integers(0, len(subjects), here.sum())]
        outcome[here] = np.array(outcomes, dtype=object)[rng.integers(0, len(outcomes), here.sum())]
    minutes = np.full(m, -1, dtype=np.int64)
    for ch, (lo, hi) in MINUTES.items():
        here = channel == ch
        minutes[here] = rng.integers(lo, hi + 1, int(here.sum()))
    long_calls = plan.is_("service_heavy")[cust] & (dept == DEPTS.index("service"))
    minutes[long_calls & (minutes >= 0)] += rng.integers(
        20, 90, int((long_calls & (minutes >= 0)).sum())
    )

    user = np.full(m, -1, dtype=np.int64)
    sales = dept == DEPTS.index("sales")
    user[sales] = owner_on(plan, cust[sales], day[sales])
    service = dept == DEPTS.index("service")
    user[service] = rng.choice(org.service_agents, int(service.sum()))
    partner = np.full(m, -1, dtype=np.int64)
    via = dept == DEPTS.index("partner")
    partner[via] = plan.shared_with[cust[via]]
    by_id = np.argsort(org.partner_ids)
    slot = by_id[np.searchsorted(org.partner_ids[by_id], partner[via])]
    user[via] = org.partner_user[slot]
    stamps = clock.stamps(day, clock.office_seconds(rng, m))
    return Table(
        Interaction,
        {
            "id": alloc(Interaction, m),
            "customer_id": plan.ids[cust],
            "channel": channel,
            "direction": np.where(inbound, "in", "out").astype(object),
            "department": np.array(DEPTS, dtype=object)[dept],
            "subject": subject,
            "user_id": user,
            "partner_id": partner,
            "occurred_at": stamps,
            "duration_minutes": minutes,
            "outcome": outcome,
            "created_at": stamps,
            "updated_at": stamps,
        },
    )


def _tasks(rng, plan: Plan, org: Org, clock: Clock, alloc: Alloc, commerce: Commerce):
    roll = rng.random(plan.n)
    kinds = (
        ("retention", plan.is_("lapsing") & (roll < 0.4), "流失预警：电话回访", False),
        ("collection", commerce.overdue & (roll < 0.5), "催收逾期发票", False),
        ("care", plan.is_("won_back") & (roll < 0.5), "回流客户关怀回访", True),
        ("follow_up", plan.is_("prospect") & (roll < 0.2), "跟进潜在客户", False),
        ("data", (roll > 0.99) & ~plan.duplicate, "补充客户资料", False),
    )
    cust, kind, title, done = [], [], [], []
    for code, mask, text, is_done in kinds:
        here = np.flatnonzero(mask)
        cust.append(here)
        kind += [code] * len(here)
        title += [text] * len(here)
        done += [is_done] * len(here)
    c = np.concatenate(cust) if cust else np.zeros(0, dtype=np.int64)
    m = len(c)
    done_arr = np.array(done, dtype=bool)
    created_day = -rng.integers(1, 21, m)
    created = clock.stamps(created_day, clock.office_seconds(rng, m))
    owner = plan.owner[c]
    assignee = np.where(owner >= 0, owner, org.managers[plan.region[c]])
    return Table(
        Task,
        {
            "id": alloc(Task, m),
            "customer_id": plan.ids[c],
            "kind": np.array(kind, dtype=object),
            "title": title,
            "due_on": clock.dates(created_day + rng.integers(3, 25, m)),
            "assigned_to_id": assignee,
            "status": np.where(done_arr, "done", "open").astype(object),
            "done_at": np.where(
                done_arr, created + np.timedelta64(2, "D"), np.datetime64("NaT", "s")
            ),
            "created_at": created,
            "updated_at": created,
        },
    )
