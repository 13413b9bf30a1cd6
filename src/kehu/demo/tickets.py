"""The demo's service history (issue #13): tickets of every kind on every channel, their SLA
deadlines from the service app's policy and working calendar, first responses and resolutions
that mostly meet them (and sometimes do not), a thread of replies and internal notes, and a
few tickets still open on the as-of day, some of them past their deadline.

Deadlines come from ``kehu.service.sla`` itself (targets per priority and tier, business hours
on the configured calendar): the demo's tickets are what ``ticket_create`` would have written.
A response or resolution is placed at a share of the time to its deadline, so a share above 1
is a miss, exactly where the breach flag says so. A ticket whose resolution falls after the
as-of moment is still open; the worker's first overdue check escalates the late ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from kehu.demo.commerce import Alloc, Commerce
from kehu.demo.common import Clock, Table, words
from kehu.demo.customers import Plan
from kehu.demo.org import Org
from kehu.service import sla
from kehu.service.models import Ticket, TicketMessage

KINDS = ("question", "request", "fault", "complaint")
CATEGORIES = {
    "question": words("使用咨询 账单 产品咨询 保修政策"),
    "request": words("安装 上门清洗 滤芯更换 配送 移机"),
    "fault": words("不出水 漏水 噪音异常 显示故障 无法开机"),
    "complaint": words("产品质量 配送延误 服务态度 安装问题 收费争议"),
}
CHANNELS = ("phone", "email", "web", "portal", "chat", "store", "partner")
WRITTEN = ("email", "web", "portal")  # channels where the customer's own words open the thread
PRIORITIES = ("urgent", "high", "normal", "low")
SERVICE_COST_PER_TICKET = 20  # the default in kehu.insights (per ticket, plus 1 per minute)
KEY_SHARE = 0.01  # the value run's default key-tier cut: the top 1 % by profit
ROOT_CAUSES = ("零部件批次问题", "安装工未按规范操作", "物流破损", "话务员解释不清", "系统计费错误")
ACTIONS = ("更换整机并回访", "重新上门安装", "补发配件并致歉", "培训相关人员", "退还差价")
NOTES = words(
    "已联系师傅，预约上门时间 配件缺货，已向仓库催单 客户情绪较大，需主管跟进 "
    "已核对购买记录，在保修期内 等待客户提供照片"
)
REPLIES = words("您好，已收到您的问题，我们正在处理。 您好，工程师将在24小时内与您联系。")
RESOLUTIONS = words("已上门处理，设备恢复正常。 已解答客户疑问。 已更换配件并测试。 已退款并致歉。")


@dataclass
class TicketTables:
    tickets: Table
    messages: Table


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(options, dtype=object)[rng.integers(0, len(options), n)]


def _key_customers(plan: Plan, commerce: Commerce) -> np.ndarray:
    """The batch's customers the value run will rank key: the top 1 % by margin."""
    k = max(1, round(KEY_SHARE * plan.n))
    best = np.argsort(-commerce.margin, kind="stable")[:k]
    key = np.zeros(plan.n, dtype=bool)
    key[best] = commerce.margin[best] > 0
    return key & ~plan.duplicate


def _deadlines(opened: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """sla.add_hours for each ticket (the calendar is the service app's), as UTC seconds."""
    out = np.empty(len(opened), dtype="datetime64[s]")
    for i, (start, h) in enumerate(zip(opened.tolist(), hours.tolist(), strict=True)):
        due = sla.add_hours(start.replace(tzinfo=dt.UTC), h)
        out[i] = np.datetime64(due.astimezone(dt.UTC).replace(tzinfo=None), "s")
    return out


def _targets(priority: np.ndarray, vip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first-response, resolution) business hours per ticket from the SLA policy."""
    table = {(p, v): sla.targets(p, "key" if v else "") for p in PRIORITIES for v in (0, 1)}
    pairs = [table[(p, int(v))] for p, v in zip(priority.tolist(), vip.tolist(), strict=True)]
    return (
        np.array([r for r, _ in pairs], dtype=object),
        np.array([r for _, r in pairs], dtype=object),
    )


def _hundredths(hours: np.ndarray) -> np.ndarray:
    return np.array([int(h * 100) for h in hours.tolist()], dtype=np.int64)


def _between(opened: np.ndarray, due: np.ndarray, share: np.ndarray) -> np.ndarray:
    span = (due - opened).astype(np.int64)
    return opened + np.ceil(span * share).astype(np.int64).astype("timedelta64[s]")


def build_tickets(
    rng: np.random.Generator,
    plan: Plan,
    org: Org,
    clock: Clock,
    alloc: Alloc,
    start: np.ndarray,
    end: np.ndarray,
    commerce: Commerce,
) -> TicketTables:
    heavy = plan.is_("service_heavy")
    key = _key_customers(plan, commerce)
    orders = commerce.order_count
    rate = np.where(orders > 0, 0.35 * clock.years / 2 * (1 + orders / 20), 0.05)
    count = np.where(heavy, 8 + rng.poisson(8, plan.n), rng.poisson(rate))
    count += np.where(key, 2 + rng.poisson(2, plan.n), 0)
    count[plan.duplicate] = 0
    cust = np.repeat(np.arange(plan.n), count)
    m = len(cust)
    day = np.minimum(start[cust] + (rng.random(m) * (end - start + 1)[cust]).astype(np.int64), 0)
    is_heavy, vip = heavy[cust], key[cust]
    kind = np.where(
        is_heavy,
        rng.choice(4, m, p=[0.2, 0.2, 0.2, 0.4]),
        rng.choice(4, m, p=[0.4, 0.3, 0.15, 0.15]),
    )
    labels = np.array(KINDS, dtype=object)[kind]
    category = np.empty(m, dtype=object)
    for k, name in enumerate(KINDS):
        here = kind == k
        category[here] = _pick(rng, CATEGORIES[name], int(here.sum()))
    serious = kind >= 2  # faults and complaints are more often urgent
    priority = np.array(PRIORITIES, dtype=object)[
        np.where(
            serious,
            rng.choice(4, m, p=[0.15, 0.35, 0.45, 0.05]),
            rng.choice(4, m, p=[0.02, 0.13, 0.6, 0.25]),
        )
    ]
    channel = np.array(CHANNELS, dtype=object)[
        rng.choice(7, m, p=[0.4, 0.15, 0.1, 0.1, 0.15, 0.1, 0])
    ]
    via_partner = (plan.shared_with[cust] >= 0) & (rng.random(m) < 0.5)
    channel[via_partner] = "partner"

    opened = clock.stamps(day, clock.office_seconds(rng, m))
    response_h, resolution_h = _targets(priority, vip)
    response_due = _deadlines(opened, response_h)
    due = _deadlines(opened, resolution_h)

    # Shares of the time to each deadline; above 1 is a miss. Key customers are answered
    # sooner; the service-heavy ones wait longer; a few recent tickets are stuck.
    r1 = rng.lognormal(np.log(0.35), 0.7, m) * np.where(vip, 0.6, 1.0)
    r2 = rng.lognormal(np.log(0.4), 0.7, m) * np.where(is_heavy, 1.6, 1.0)
    stuck = (day > -30) & (rng.random(m) < 0.3)
    r2[stuck] *= 4
    responded_at = _between(opened, response_due, np.minimum(r1, 8))
    # Resolved after the first answer (half an hour at least), however the shares fell.
    resolved_at = np.maximum(
        _between(opened, due, np.minimum(r2, 12)), responded_at + np.timedelta64(1800, "s")
    )

    now = clock.stamps(np.zeros(1, dtype=np.int64), 19 * 3600)[0]
    done = resolved_at <= now
    answered = responded_at <= now
    closed = done & (resolved_at + np.timedelta64(3, "D") <= now) & (rng.random(m) < 0.95)
    roll = rng.random(m)
    status = np.where(done, np.where(closed, "closed", "resolved"), "open").astype(object)
    status[~answered] = "new"
    waiting = ~done & answered & (roll < 0.25)
    reopened = ~done & answered & (roll > 0.9)
    status[waiting] = "waiting"
    status[reopened] = "reopened"
    nat = np.datetime64("NaT", "s")

    # Service time: ~20 minutes typically; hours for the service-heavy persona.
    minutes = np.where(is_heavy, rng.lognormal(4.7, 0.6, m), rng.lognormal(3.0, 0.8, m))
    minutes = np.minimum(minutes, 900)
    # The persona's promise: serving them costs more than they earn us at the default rates
    # (20 per ticket + 1 per minute, kehu.insights). Stretch their tickets until it does.
    spent = np.bincount(cust, weights=minutes, minlength=plan.n)
    needed = 1.3 * np.maximum(commerce.margin, 0) - SERVICE_COST_PER_TICKET * count
    stretch = np.where(heavy & (spent > 0), np.maximum(needed / np.maximum(spent, 1), 1), 1)
    minutes = np.ceil(minutes * stretch[cust]).astype(np.int64)

    complaint_done = (kind == 3) & done
    resolution = np.where(done, _pick(rng, RESOLUTIONS, m), "")
    subject = category + np.where(kind == 3, "投诉", np.where(kind == 2, "报修", ""))
    ids = alloc(Ticket, m)
    agent = rng.choice(org.service_agents, m)
    tickets = Table(
        Ticket,
        {
            "id": ids,
            "customer_id": plan.ids[cust],
            "kind": labels,
            "subject": subject.astype(object),
            "description": ("客户反映：" + subject).astype(object),
            "category": category,
            "channel": channel,
            "priority": priority,
            "status": status,
            "vip": vip,
            "opened_at": opened,
            "first_response_due_at": response_due,
            "due_at": due,
            "first_response_at": np.where(answered, responded_at, nat),
            "resolved_at": np.where(done, resolved_at, nat),
            "waiting_since": np.where(waiting, responded_at, nat),
            # Decimal columns: integer hundredths (the writer's convention).
            "response_target_hours": _hundredths(response_h),
            "resolution_target_hours": _hundredths(resolution_h),
            "response_breached": answered & (responded_at > response_due),
            "resolution_breached": done & (resolved_at > due),
            "reopened_count": reopened.astype(np.int64),
            "assigned_to_id": agent,
            "minutes_spent": minutes,
            "nature": np.where(kind >= 2, "客户反映：" + category, "").astype(object),
            "root_cause": np.where(complaint_done, _pick(rng, ROOT_CAUSES, m), ""),
            "corrective_action": np.where(complaint_done, _pick(rng, ACTIONS, m), ""),
            "resolution": resolution.astype(object),
            "created_at": opened,
            "updated_at": np.where(done, resolved_at, np.where(answered, responded_at, opened)),
        },
    )
    return TicketTables(tickets, _messages(rng, alloc, ids, channel, kind, agent, opened,
                                           responded_at, answered, resolved_at, done,
                                           resolution, now))  # fmt: skip


def _messages(rng, alloc, ids, channel, kind, agent, opened, responded, answered, resolved, done,
              resolution, now) -> Table:  # fmt: skip
    """The thread: the customer's message (written channels), the first reply, an internal
    note on most faults and complaints, and the closing reply."""
    m = len(ids)
    noted = answered & ((kind >= 2) | (rng.random(m) < 0.1)) & (rng.random(m) < 0.8)
    note_at = np.where(
        done, responded + ((resolved - responded) // 2), responded + np.timedelta64(600, "s")
    )
    noted &= note_at <= now
    parts = (
        (np.isin(channel, WRITTEN), "incoming", opened, None),
        (answered, "reply", responded, _pick(rng, REPLIES, m)),
        (noted, "note", note_at, _pick(rng, NOTES, m)),
        (done, "reply", resolved, resolution),
    )
    ticket, kinds, author, body, at = [], [], [], [], []
    for mask, what, when, text in parts:
        here = np.flatnonzero(mask)
        ticket.append(ids[here])
        kinds.append(np.full(len(here), what, dtype=object))
        author.append(np.full(len(here), -1) if what == "incoming" else agent[here])
        body.append(np.full(len(here), "", dtype=object) if text is None else text[here])
        at.append(when[here])
    incoming = kinds[0] == "incoming"
    body[0] = np.full(incoming.sum(), "您好，我的设备有问题，请尽快处理。", dtype=object)
    stamps = np.concatenate(at)
    return Table(
        TicketMessage,
        {
            "id": alloc(TicketMessage, len(stamps)),
            "ticket_id": np.concatenate(ticket),
            "kind": np.concatenate(kinds),
            "author_id": np.concatenate(author).astype(np.int64),
            "body": np.concatenate(body),
            "created_at": stamps,
            "updated_at": stamps,
        },
    )
